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
  /** File names (not paths) directly inside a folder. */
  listFolder: (folder: string) => Promise<string[]>;
  removeFile: (path: string) => Promise<void>;
};

/** A scheduled backup's name: its series, then a sortable UTC date-time (renderer/db/backup.ts). */
const SCHEDULED = /^([A-Za-z0-9-]+)-auto-backup-(\d{4}-\d\d-\d\d-\d\d-\d\d)\.katbackup$/;

/**
 * Removes the oldest scheduled backups of the series `written` belongs to, beyond `keep`. Only
 * names of that exact pattern and series are touched, never anything else in the folder; a file
 * that cannot be removed is left for next time.
 */
export async function pruneScheduledBackups(
  deps: Pick<BackupDeps, 'listFolder' | 'removeFile'>,
  folder: string,
  written: string,
  keep: number,
): Promise<string[]> {
  const series = SCHEDULED.exec(written)?.[1];
  if (!series) return [];
  const ours = (await deps.listFolder(folder))
    .map((name) => ({ name, match: SCHEDULED.exec(name) }))
    .filter((f) => f.match?.[1] === series)
    .sort((a, b) => (a.match![2]! < b.match![2]! ? 1 : a.match![2]! > b.match![2]! ? -1 : 0));
  const pruned: string[] = [];
  for (const { name } of ours.slice(keep)) {
    try {
      await deps.removeFile(join(folder, name));
      pruned.push(name);
    } catch {
      // Kept for the next run; a backup too many is better than a write reported as failed.
    }
  }
  return pruned;
}

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
  const pruned =
    parsed.request.keep === undefined
      ? []
      : await pruneScheduledBackups(deps, folder, fileName, parsed.request.keep).catch(() => []);
  return ipcOk({ folder, fileName, bytesWritten: bytes.byteLength, pruned });
}
