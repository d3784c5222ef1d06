/**
 * The few files the shell keeps itself, all under the user's app-data folder (userData) or a folder
 * the person chose. Node only, no Electron, so vitest runs them against a temporary folder.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { KeychainStore } from './ipc/keychain';

/** Only the current OS user may read what the shell writes for itself (ignored on Windows). */
const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;

export async function writeFileAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const partial = join(dirname(path), `.${randomUUID()}.partial`);
  try {
    const handle = await open(partial, 'wx', PRIVATE_FILE);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

export async function folderIsWritable(folder: string): Promise<boolean> {
  try {
    if (!(await stat(folder)).isDirectory()) return false;
    await access(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Keychain entries as one file each; names are already checked by the contract (KeychainName). */
export function createKeychainFileStore(folder: string): KeychainStore {
  const fileOf = (name: string) => join(folder, `${name}.sealed`);
  return {
    async read(name) {
      try {
        return new Uint8Array(await readFile(fileOf(name)));
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async write(name, sealed) {
      await mkdir(folder, { recursive: true, mode: PRIVATE_DIR });
      await writeFileAtomically(fileOf(name), sealed);
    },
    async remove(name) {
      try {
        await rm(fileOf(name));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
  };
}

/** One remembered setting (the backup folder) as a small JSON file. */
export function createFolderSetting(file: string) {
  return {
    async read(): Promise<string | null> {
      try {
        const value: unknown = JSON.parse(await readFile(file, 'utf8'));
        return typeof value === 'object' && value !== null && 'folder' in value
          ? String(value.folder)
          : null;
      } catch {
        return null;
      }
    },
    async write(folder: string): Promise<void> {
      await mkdir(dirname(file), { recursive: true, mode: PRIVATE_DIR });
      await writeFileAtomically(file, new TextEncoder().encode(JSON.stringify({ folder })));
    },
  };
}

/** PDFs waiting to be printed hold patient data: a private folder, emptied at every start. */
export function createPrintFolder(folder: string) {
  return {
    async write(bytes: Uint8Array): Promise<string> {
      await mkdir(folder, { recursive: true, mode: PRIVATE_DIR });
      const path = join(folder, `${randomUUID()}.pdf`);
      await writeFileAtomically(path, bytes);
      return path;
    },
    async remove(path: string): Promise<void> {
      await rm(path, { force: true });
    },
    async sweep(): Promise<void> {
      const names = await readdir(folder).catch(() => []);
      await Promise.all(names.map((name) => rm(join(folder, name), { force: true })));
    },
  };
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
