/**
 * The whole bridge between the page and the desktop shell: one frozen object of fixed calls.
 * ipcRenderer itself and any generic send/on stay here, out of the page's reach (STYLE.md §2).
 * Sandboxed preloads load as one CommonJS file with only 'electron' to require, so this imports
 * nothing at run time but Electron: types only from the shared contract (and so no zod).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type {
  IpcChannel,
  IpcReply,
  KatApi,
  MENU_COMMAND_CHANNEL,
  MenuCommand,
} from '../../shared/ipc';

const invoke = <C extends IpcChannel>(channel: C, request?: unknown): IpcReply<C> =>
  ipcRenderer.invoke(channel, request);

const MENU_CHANNEL: typeof MENU_COMMAND_CHANNEL = 'menu:command';
const MENU_COMMANDS: readonly MenuCommand[] = ['print', 'lock'];

const api = Object.freeze({
  appInfo: () => invoke('app:info'),
  printPdf: (request) => invoke('print:pdf', request),
  savePdf: (request) => invoke('file:save-pdf', request),
  saveFile: (request) => invoke('file:save', request),
  openExternal: (request) => invoke('shell:open-external', request),
  getSecret: (request) => invoke('keychain:get', request),
  setSecret: (request) => invoke('keychain:set', request),
  deleteSecret: (request) => invoke('keychain:delete', request),
  chooseBackupFolder: () => invoke('backup:choose-folder'),
  backupFolder: () => invoke('backup:current-folder'),
  writeScheduledBackup: (request) => invoke('backup:write-scheduled', request),
  onMenuCommand: (listener) => {
    const relay = (_event: IpcRendererEvent, command: unknown) => {
      if (MENU_COMMANDS.includes(command as MenuCommand)) listener(command as MenuCommand);
    };
    ipcRenderer.on(MENU_CHANNEL, relay);
    return () => void ipcRenderer.removeListener(MENU_CHANNEL, relay);
  },
} satisfies KatApi);

contextBridge.exposeInMainWorld('kat', api);
