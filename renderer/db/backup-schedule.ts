/**
 * The administrator's backup schedule (desktop app): how often and how many to keep, plus what
 * happened last, kept in `meta` (no PHI: times, a file name, a message). The folder itself is
 * remembered by the desktop shell, which alone may write there (electron/main/ipc/backup.ts).
 * A scheduled backup is written only while someone is signed in, because only then is the
 * clinic key open to seal it (backup.ts, createScheduledBackup).
 */
import { z } from 'zod';
import { RuleError } from '../../shared/rules/errors';
import type { KatDatabase } from './database';
import type { RecordStore } from './record-store';

const KEY = 'backup-schedule';
const HOUR = 3_600_000;
export const FREQUENCY_MS = { daily: 24 * HOUR, weekly: 7 * 24 * HOUR } as const;
/** After a failed attempt (drive unplugged, disk full), try again after this long. */
export const RETRY_MS = HOUR;

export const BackupSchedule = z.object({
  enabled: z.boolean(),
  frequency: z.enum(['daily', 'weekly']),
  keep: z.number().int().min(1, 'Keep at least one backup').max(365, 'Keep at most 365 backups'),
  lastBackupAt: z.string().optional(),
  lastFileName: z.string().optional(),
  lastAttemptAt: z.string().optional(),
  lastError: z.string().optional(),
});
export type BackupSchedule = z.infer<typeof BackupSchedule>;

export const DEFAULT_SCHEDULE: BackupSchedule = { enabled: false, frequency: 'daily', keep: 14 };

export async function readBackupSchedule(db: KatDatabase): Promise<BackupSchedule> {
  const parsed = BackupSchedule.safeParse((await db.meta.get(KEY))?.value);
  return parsed.success ? parsed.data : DEFAULT_SCHEDULE;
}

/** Administrators set the schedule; the outcome fields are kept as they are. */
export async function saveBackupSchedule(
  store: RecordStore,
  change: Pick<BackupSchedule, 'enabled' | 'frequency' | 'keep'>,
): Promise<BackupSchedule> {
  if (!store.roles.includes('administrator'))
    throw new RuleError('permission.denied', 'Only an administrator can set up scheduled backups.');
  const checked = BackupSchedule.pick({ enabled: true, frequency: true, keep: true }).safeParse(
    change,
  );
  if (!checked.success)
    throw new RuleError('validation', checked.error.issues[0]?.message ?? 'Check the schedule.');
  const next = { ...(await readBackupSchedule(store.db)), ...checked.data };
  await store.db.meta.put({ key: KEY, value: next });
  return next;
}

export async function recordBackupOutcome(
  db: KatDatabase,
  outcome: { at: Date; fileName: string } | { at: Date; error: string },
): Promise<BackupSchedule> {
  const current = await readBackupSchedule(db);
  const at = outcome.at.toISOString();
  const next: BackupSchedule =
    'fileName' in outcome
      ? {
          ...current,
          lastBackupAt: at,
          lastFileName: outcome.fileName,
          lastAttemptAt: at,
          lastError: undefined,
        }
      : { ...current, lastAttemptAt: at, lastError: outcome.error };
  await db.meta.put({ key: KEY, value: next });
  return next;
}

/** Due when enabled and the period has passed since the last backup (failures retry hourly). */
export function backupDue(s: BackupSchedule, now: Date): boolean {
  if (!s.enabled) return false;
  const t = now.getTime();
  if (s.lastError && s.lastAttemptAt && t - Date.parse(s.lastAttemptAt) < RETRY_MS) return false;
  return !s.lastBackupAt || t - Date.parse(s.lastBackupAt) >= FREQUENCY_MS[s.frequency];
}
