import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFolderSetting,
  createKeychainFileStore,
  createPrintFolder,
  folderIsWritable,
  writeFileAtomically,
} from './local-files';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kat-files-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('local files', () => {
  it('replaces a backup whole, leaving no partial file behind', async () => {
    const target = join(dir, 'kat.katbackup');
    await writeFile(target, 'old backup');
    await writeFileAtomically(target, new TextEncoder().encode('new backup'));
    expect(await readFile(target, 'utf8')).toBe('new backup');
    expect(await readdir(dir)).toEqual(['kat.katbackup']);
  });

  it('leaves the old backup untouched when the new one cannot be written', async () => {
    const target = join(dir, 'missing-folder', 'kat.katbackup');
    await expect(writeFileAtomically(target, new Uint8Array([1]))).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });

  it('tells a reachable folder from a missing one', async () => {
    expect(await folderIsWritable(dir)).toBe(true);
    expect(await folderIsWritable(join(dir, 'unplugged-usb'))).toBe(false);
    await writeFile(join(dir, 'a-file'), 'x');
    expect(await folderIsWritable(join(dir, 'a-file'))).toBe(false);
  });

  it('keeps keychain entries as files and forgets them', async () => {
    const store = createKeychainFileStore(join(dir, 'keychain'));
    expect(await store.read('device-key')).toBeNull();
    await store.write('device-key', new Uint8Array([1, 2, 3]));
    expect(await store.read('device-key')).toEqual(new Uint8Array([1, 2, 3]));
    expect(await store.remove('device-key')).toBe(true);
    expect(await store.remove('device-key')).toBe(false);
  });

  it('remembers the backup folder, and reads a damaged setting as none', async () => {
    const setting = createFolderSetting(join(dir, 'backup-folder.json'));
    expect(await setting.read()).toBeNull();
    await setting.write('/media/usb/kat');
    expect(await setting.read()).toBe('/media/usb/kat');
    await writeFile(join(dir, 'backup-folder.json'), '{not json');
    expect(await setting.read()).toBeNull();
  });

  it('sweeps PDFs left from printing, which hold patient data', async () => {
    const folder = createPrintFolder(join(dir, 'print'));
    const path = await folder.write(new TextEncoder().encode('%PDF-1.7'));
    expect(path.startsWith(join(dir, 'print'))).toBe(true);
    await folder.write(new TextEncoder().encode('%PDF-1.7'));
    await folder.sweep();
    expect(await readdir(join(dir, 'print'))).toEqual([]);
  });
});
