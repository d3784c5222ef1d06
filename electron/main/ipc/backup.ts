/**
 * Scheduled backups go into a folder the person chose in an OS dialog. The renderer can name the
 * file (a checked, plain name) but never the folder, so it cannot write anywhere else on disk.
 */
import { join } from 'node:path';
import {
  ipcError,
  ipcOk,
  parseIpcRequest,
  type IpcReply,
  type IpcResponse,
} from '../../../shared/ipc';

export type BackupDeps = {
  askForFolder: () => Promise<string | null>;
  readChosenFolder: () => Promise<string | null>;
  rememberFolder: (folder: string) => Promise<void>;
  folderIsWritable: (folder: string) => Promise<boolean>;
  /** Writes next to the target then renames, so a crash never leaves half a backup under its name. */
  writeFileAtomically: (path: string, bytes: Uint8Array) => Promise<void>;
};

export async function chooseBackupFolder(
  deps: BackupDeps,
  payload: unknown,
): IpcReply<'backup:choose-folder'> {
  const parsed = parseIpcRequest('backup:choose-folder', payload);
  if (!parsed.ok) return parsed.result;
  const folder = await deps.askForFolder();
  if (folder === null) return ipcOk<IpcResponse<'backup:choose-folder'>>({ outcome: 'cancelled' });
  if (!(await deps.folderIsWritable(folder))) {
    return ipcError(
      'backup-folder-unreachable',
      `KAT Chart cannot write into “${folder}”. Choose a folder you can save files in.`,
    );
  }
  await deps.rememberFolder(folder);
  return ipcOk({ outcome: 'chosen', folder });
}

export async function currentBackupFolder(
  deps: BackupDeps,
  payload: unknown,
): IpcReply<'backup:current-folder'> {
  const parsed = parseIpcRequest('backup:current-folder', payload);
  if (!parsed.ok) return parsed.result;
  return ipcOk({ folder: await deps.readChosenFolder() });
}

export async function writeScheduledBackup(
  deps: BackupDeps,
  payload: unknown,
): IpcReply<'backup:write-scheduled'> {
  const parsed = parseIpcRequest('backup:write-scheduled', payload);
  if (!parsed.ok) return parsed.result;
  const { bytes, fileName } = parsed.request;
  const folder = await deps.readChosenFolder();
  if (folder === null) {
    return ipcError(
      'backup-folder-not-set',
      'No backup folder is chosen yet. Choose one in Settings, then back up again.',
    );
  }
  if (!(await deps.folderIsWritable(folder))) {
    return ipcError(
      'backup-folder-unreachable',
      `The backup folder “${folder}” cannot be reached. Check that its drive is connected, or choose another folder in Settings.`,
    );
  }
  try {
    await deps.writeFileAtomically(join(folder, fileName), bytes);
  } catch {
    return ipcError(
      'write-failed',
      `The backup could not be written into “${folder}” (the disk may be full). Free some space or choose another folder.`,
    );
  }
  return ipcOk({ folder, fileName, bytesWritten: bytes.byteLength });
}
