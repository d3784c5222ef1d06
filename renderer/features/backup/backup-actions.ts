/** What the backup screens do, kept out of the components (they never touch the database). */
import { db, loadApp } from '../../app/app-state';
import {
  BACKUP_FILE_TYPE,
  type UserSecret,
  backupProtection,
  createBackup,
  restoreBackup,
} from '../../db/backup';
import type { RecordStore } from '../../db/record-store';
import { platform } from '../../platform';

/** Makes the backup and hands it to a Save dialog (desktop) or the downloads (browser). */
export async function saveBackup(store: RecordStore, passphrase: string): Promise<string | null> {
  const { bytes, fileName } = await createBackup(store, passphrase);
  const saved = await platform.saveFile({
    bytes,
    suggestedName: fileName,
    fileType: BACKUP_FILE_TYPE,
  });
  if (!saved.ok) throw new Error(saved.error.message);
  return saved.value.outcome === 'cancelled' ? null : saved.value.fileName;
}

/** Which secret the chosen file needs (scheduled backups open with a user's own passphrase). */
export async function protectionOf(file: Blob) {
  return backupProtection(new Uint8Array(await file.arrayBuffer()));
}

/** Restores a backup file into this (empty) computer, then shows the sign-in screen. */
export async function restoreIntoThisComputer(
  file: Blob,
  secret: string | UserSecret | { recoveryKey: string },
) {
  const clinic = await restoreBackup(db, new Uint8Array(await file.arrayBuffer()), secret);
  await loadApp();
  return clinic;
}
