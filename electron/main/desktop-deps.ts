/** The real Electron and file-system pieces behind the IPC handlers (the tests pass fakes). */
import { readdir, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { app, dialog, safeStorage, shell, type BrowserWindow } from 'electron';
import type { KeychainBackend } from '../../shared/ipc';
import type { DesktopDeps } from './ipc/handlers';
import {
  createFolderSetting,
  createKeychainFileStore,
  createPrintFolder,
  folderIsWritable,
  writeFileAtomically,
} from './local-files';
import { printPdfFile } from './print-window';

export type DesktopPaths = { userData: string };

export function createDesktopDeps(
  { userData }: DesktopPaths,
  currentWindow: () => BrowserWindow | null,
): DesktopDeps & { printFolder: ReturnType<typeof createPrintFolder> } {
  const printFolder = createPrintFolder(join(userData, 'print'));
  const backupFolder = createFolderSetting(join(userData, 'backup-folder.json'));
  const warned = new Set<string>();
  const withWindow = <T>(show: (window: BrowserWindow) => T, alone: () => T): T => {
    const window = currentWindow();
    return window ? show(window) : alone();
  };

  return {
    printFolder,
    app: {
      name: app.getName(),
      version: app.getVersion(),
      platform: process.platform,
      computerName: hostname(),
    },
    print: {
      writeTempPdf: printFolder.write,
      printPdfFile,
      openWithSystemViewer: async (path) => (await shell.openPath(path)) === '',
      removeFile: printFolder.remove,
    },
    save: {
      askWhereToSave: async ({ suggestedName, filterName, extension }) => {
        const options = {
          defaultPath: join(app.getPath('documents'), suggestedName),
          filters: [{ name: filterName, extensions: [extension] }],
        };
        const result = await withWindow(
          (w) => dialog.showSaveDialog(w, options),
          () => dialog.showSaveDialog(options),
        );
        return result.canceled || !result.filePath ? null : result.filePath;
      },
      writeFile: (path, bytes) => writeFile(path, bytes),
    },
    shell: { openExternal: (url) => shell.openExternal(url) },
    keychain: {
      isAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
      backend: keychainBackend,
      encrypt: async (text) => new Uint8Array(await safeStorage.encryptStringAsync(text)),
      decrypt: (sealed) => safeStorage.decryptStringAsync(Buffer.from(sealed)),
      store: createKeychainFileStore(join(userData, 'keychain')),
      warn: (message) => {
        if (warned.has(message)) return;
        warned.add(message);
        console.warn(message);
      },
    },
    backup: {
      askForFolder: async () => {
        const options = {
          title: 'Choose a folder for KAT Chart backups',
          properties: ['openDirectory', 'createDirectory'] as (
            'openDirectory' | 'createDirectory'
          )[],
        };
        const result = await withWindow(
          (w) => dialog.showOpenDialog(w, options),
          () => dialog.showOpenDialog(options),
        );
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      readChosenFolder: backupFolder.read,
      rememberFolder: backupFolder.write,
      folderIsWritable,
      writeFileAtomically,
      listFolder: (folder) => readdir(folder),
      removeFile: (path) => rm(path),
    },
  };
}

function keychainBackend(): KeychainBackend {
  if (process.platform === 'darwin') return 'macos-keychain';
  if (process.platform === 'win32') return 'windows-dpapi';
  return safeStorage.getSelectedStorageBackend();
}
