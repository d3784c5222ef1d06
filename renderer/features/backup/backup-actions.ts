/** What the backup screens do, kept out of the components (they never touch the database). */
import { db, loadApp } from '../../app/app-state';
import { BACKUP_FILE_TYPE, createBackup, restoreBackup } from '../../db/backup';
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

/** Restores a backup file into this (empty) computer, then shows the sign-in screen. */
export async function restoreIntoThisComputer(file: Blob, passphrase: string) {
  const clinic = await restoreBackup(db, new Uint8Array(await file.arrayBuffer()), passphrase);
  await loadApp();
  return clinic;
}
