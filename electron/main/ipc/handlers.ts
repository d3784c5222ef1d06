import { readAppInfo, type AppInfoDeps } from './app-info';
import {
  chooseBackupFolder,
  currentBackupFolder,
  writeScheduledBackup,
  type BackupDeps,
} from './backup';
import { saveFile, savePdf, type SaveDeps } from './files';
import { deleteSecret, getSecret, setSecret, type KeychainDeps } from './keychain';
import { printPdf, type PrintDeps } from './print';
import type { IpcHandlers } from './register';
import { openExternal, type ShellDeps } from './shell';

export type DesktopDeps = {
  app: AppInfoDeps;
  print: PrintDeps;
  save: SaveDeps;
  shell: ShellDeps;
  keychain: KeychainDeps;
  backup: BackupDeps;
};

/** The channel map, each handler bound to its deps. Types make a missing channel a compile error. */
export function createIpcHandlers(deps: DesktopDeps): IpcHandlers {
  return {
    'app:info': (p) => readAppInfo(deps.app, p),
    'print:pdf': (p) => printPdf(deps.print, p),
    'file:save-pdf': (p) => savePdf(deps.save, p),
    'file:save': (p) => saveFile(deps.save, p),
    'shell:open-external': (p) => openExternal(deps.shell, p),
    'keychain:get': (p) => getSecret(deps.keychain, p),
    'keychain:set': (p) => setSecret(deps.keychain, p),
    'keychain:delete': (p) => deleteSecret(deps.keychain, p),
    'backup:choose-folder': (p) => chooseBackupFolder(deps.backup, p),
    'backup:current-folder': (p) => currentBackupFolder(deps.backup, p),
    'backup:write-scheduled': (p) => writeScheduledBackup(deps.backup, p),
  };
}
