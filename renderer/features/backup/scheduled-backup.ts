/**
 * Runs the administrator's backup schedule while someone is signed in (desktop app only): checks
 * every minute whether a backup is due, seals one under the clinic key and hands it to the desktop
 * shell, which writes it into the chosen folder and prunes old ones. Success or the error is kept
 * for Settings → Storage and backup.
 */
import { useEffect } from 'react';
import { errorMessage } from '../../app/format';
import { createScheduledBackup } from '../../db/backup';
import {
  type BackupSchedule,
  backupDue,
  readBackupSchedule,
  recordBackupOutcome,
} from '../../db/backup-schedule';
import type { RecordStore } from '../../db/record-store';
import type { Platform } from '../../platform';

export const CHECK_EVERY_MS = 60_000;

/** One backup now: written, pruned, and its outcome recorded. Never throws. */
export async function runScheduledBackup(
  store: RecordStore,
  platform: Pick<Platform, 'writeScheduledBackup'>,
  now = new Date(),
): Promise<BackupSchedule> {
  const schedule = await readBackupSchedule(store.db);
  try {
    const { bytes, fileName } = await createScheduledBackup(store, now);
    const written = await platform.writeScheduledBackup({ bytes, fileName, keep: schedule.keep });
    if (!written.ok)
      return await recordBackupOutcome(store.db, { at: now, error: written.error.message });
    return await recordBackupOutcome(store.db, { at: now, fileName: written.value.fileName });
  } catch (e) {
    return recordBackupOutcome(store.db, { at: now, error: errorMessage(e) });
  }
}

/** Runs a due backup, if any; true when one was attempted. */
export async function backupIfDue(
  store: RecordStore,
  platform: Pick<Platform, 'writeScheduledBackup'>,
  now = new Date(),
): Promise<boolean> {
  if (!backupDue(await readBackupSchedule(store.db), now)) return false;
  await runScheduledBackup(store, platform, now);
  return true;
}

/** Mounted once in the signed-in shell; does nothing in browser mode (no folder backups). */
export function useScheduledBackups(store: RecordStore | undefined, platform: Platform) {
  useEffect(() => {
    if (!store) return;
    let stopped = false;
    let running = false;
    const tick = async () => {
      if (stopped || running) return;
      running = true;
      try {
        const info = await platform.appInfo();
        if (info.ok && info.value.features.backupFolder) await backupIfDue(store, platform);
      } finally {
        running = false;
      }
    };
    void tick();
    const timer = setInterval(() => void tick(), CHECK_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [store, platform]);
}
