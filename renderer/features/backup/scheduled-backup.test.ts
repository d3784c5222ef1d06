import { afterEach, describe, expect, it, vi } from 'vitest';
import { ipcError, ipcOk } from '../../../shared/ipc';
import { addUser } from '../../db/auth';
import { backupProtection } from '../../db/backup';
import { readBackupSchedule, saveBackupSchedule } from '../../db/backup-schedule';
import type { KatDatabase } from '../../db/database';
import { RecordStore } from '../../db/record-store';
import { freshClinic } from '../../db/test-support';
import { backupIfDue } from './scheduled-backup';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

const HOUR = 3_600_000;
const t0 = new Date('2026-11-22T02:00:00Z');
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);

function fakeShell() {
  const written: { fileName: string; keep?: number; bytes: Uint8Array }[] = [];
  let failWith: string | undefined;
  return {
    written,
    fail: (message?: string) => void (failWith = message),
    writeScheduledBackup: vi.fn(
      async (r: { bytes: Uint8Array; fileName: string; keep?: number }) => {
        if (failWith) return ipcError('backup-folder-unreachable', failWith);
        written.push(r);
        return ipcOk({
          folder: '/media/usb/kat',
          fileName: r.fileName,
          bytesWritten: r.bytes.byteLength,
          pruned: [],
        });
      },
    ),
  };
}

async function clinic() {
  const c = await freshClinic();
  opened.push(c.db);
  return c;
}

describe('the backup schedule', () => {
  it('writes nothing until an administrator turns it on', async () => {
    const { store } = await clinic();
    const shell = fakeShell();
    expect(await backupIfDue(store, shell, t0)).toBe(false);
    expect(shell.written).toHaveLength(0);
  });

  it('backs up when due, daily or weekly, with the number to keep', async () => {
    const { store } = await clinic();
    const shell = fakeShell();
    await saveBackupSchedule(store, { enabled: true, frequency: 'daily', keep: 7 });
    expect(await backupIfDue(store, shell, t0)).toBe(true);
    expect(shell.written[0]).toMatchObject({
      fileName: 'Harbor-Ketamine-Clinic-auto-backup-2026-11-22-02-00.katbackup',
      keep: 7,
    });
    expect(backupProtection(shell.written[0]!.bytes)).toBe('user-passphrase');
    expect(await backupIfDue(store, shell, at(23))).toBe(false);
    expect(await backupIfDue(store, shell, at(24))).toBe(true);
    await saveBackupSchedule(store, { enabled: true, frequency: 'weekly', keep: 4 });
    expect(await backupIfDue(store, shell, at(24 * 7))).toBe(false);
    expect(await backupIfDue(store, shell, at(24 * 8))).toBe(true);
    expect(shell.written.map((w) => w.keep)).toEqual([7, 7, 4]);
    expect(await readBackupSchedule(store.db)).toMatchObject({
      lastBackupAt: at(24 * 8).toISOString(),
      lastFileName: shell.written[2]!.fileName,
    });
  });

  it('keeps the error for Settings and tries again an hour later', async () => {
    const { store } = await clinic();
    const shell = fakeShell();
    await saveBackupSchedule(store, { enabled: true, frequency: 'daily', keep: 3 });
    shell.fail('The backup folder “/media/usb/kat” cannot be reached.');
    expect(await backupIfDue(store, shell, t0)).toBe(true);
    expect(await readBackupSchedule(store.db)).toMatchObject({
      lastError: 'The backup folder “/media/usb/kat” cannot be reached.',
      lastAttemptAt: t0.toISOString(),
    });
    expect(await backupIfDue(store, shell, at(0.5))).toBe(false);
    shell.fail(undefined);
    expect(await backupIfDue(store, shell, at(1))).toBe(true);
    const after = await readBackupSchedule(store.db);
    expect(after.lastError).toBeUndefined();
    expect(after.lastBackupAt).toBe(at(1).toISOString());
  });

  it('runs for whoever is signed in, but only an administrator sets it', async () => {
    const c = await clinic();
    const dana = await addUser(c.store, {
      displayName: 'Dana Therapist',
      username: 'dana',
      roles: ['therapist'],
      passphrase: 'dana keeps her own passphrase',
    });
    const danaStore = new RecordStore(c.db, { ...c.session, user: dana });
    await expect(
      saveBackupSchedule(danaStore, { enabled: true, frequency: 'daily', keep: 3 }),
    ).rejects.toThrow(/Only an administrator can set up scheduled backups/);
    await expect(
      saveBackupSchedule(c.store, { enabled: true, frequency: 'daily', keep: 0 }),
    ).rejects.toThrow(/Keep at least one backup/);
    await saveBackupSchedule(c.store, { enabled: true, frequency: 'daily', keep: 3 });
    const shell = fakeShell();
    expect(await backupIfDue(danaStore, shell, t0)).toBe(true);
    expect(shell.written).toHaveLength(1);
    const audit = await c.db.audit.where('action').equals('export').toArray();
    expect(audit.map((a) => a.userId)).toContain(dana.id);
  });
});
