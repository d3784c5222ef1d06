import { describe, expect, it } from 'vitest';
import { addUser, signIn } from './auth';
import { verifyAuditChain } from './audit-chain';
import { auditMacKeysFor } from './audit-key';
import {
  backupProtection,
  createBackup,
  createScheduledBackup,
  restoreBackup,
  scheduledBackupFileName,
} from './backup';
import { RecordStore } from './record-store';
import {
  allTables,
  restoredTablesAs,
  clinicWithChart,
  deleteDatabasesAfterEach,
  emptyDb,
} from './backup-test-support';

deleteDatabasesAfterEach();

async function clinicWithChartAndDana() {
  const c = await clinicWithChart();
  const dana = await addUser(c.store, {
    displayName: 'Dana Therapist',
    username: 'dana',
    roles: ['therapist'],
    passphrase: 'dana keeps her own passphrase',
  });
  return { ...c, dana };
}

describe('scheduled backups under the clinic key', () => {
  it('restore with any user’s own name and passphrase, table for table', async () => {
    const c = await clinicWithChartAndDana();
    const { bytes, fileName } = await createScheduledBackup(
      c.store,
      new Date('2026-11-22T02:00:00Z'),
    );
    expect(fileName).toBe('Harbor-Ketamine-Clinic-auto-backup-2026-11-22-02-00.katbackup');
    expect(fileName).toBe(
      scheduledBackupFileName('Harbor Ketamine Clinic', new Date('2026-11-22T02:00:00Z')),
    );
    expect(backupProtection(bytes)).toBe('user-passphrase');
    expect(new TextDecoder().decode(bytes)).not.toMatch(/Okafor|Maya|held by the music/);
    const before = await allTables(c.db);

    // A therapist can open it: the file needs a person of the clinic, not a stored secret.
    const target = emptyDb();
    await restoreBackup(target, bytes, {
      username: 'Dana',
      passphrase: 'dana keeps her own passphrase',
    });
    // Table for table, but for the restored computer's new local id (backup.ts asRestoredCopy).
    expect(await restoredTablesAs(target, c.session.deviceId)).toEqual(before);
    const session = await signIn(target, 'alex', c.passphrase);
    const store = new RecordStore(target, session);
    expect((await store.get('note', c.note.id))?.sections).toEqual({
      subjective: 'Felt held by the music',
    });
    expect((await verifyAuditChain(target, await auditMacKeysFor(session))).ok).toBe(true);
    const exports = await target.audit.where('action').equals('export').count();
    expect(exports).toBe(1);
  });

  it('refuses a wrong passphrase, an unknown user and the wrong kind of secret, writing nothing', async () => {
    const c = await clinicWithChartAndDana();
    const { bytes } = await createScheduledBackup(c.store);
    const target = emptyDb();
    await expect(
      restoreBackup(target, bytes, { username: 'alex', passphrase: 'not the passphrase at all' }),
    ).rejects.toThrow(/That user name and passphrase do not open this backup/);
    await expect(
      restoreBackup(target, bytes, { username: 'nobody', passphrase: c.passphrase }),
    ).rejects.toThrow(/That user name and passphrase do not open this backup/);
    await expect(restoreBackup(target, bytes, c.passphrase)).rejects.toThrow(
      /scheduled backup, locked with the clinic key/,
    );
    const manual = await createBackup(c.store, 'offsite copy kept in the safe');
    expect(backupProtection(manual.bytes)).toBe('backup-passphrase');
    await expect(
      restoreBackup(target, manual.bytes, { username: 'alex', passphrase: c.passphrase }),
    ).rejects.toThrow(/backup passphrase of its own/);
    expect(await allTables(target)).toEqual([[], [], [], [], [], []]);
  });

  it('refuses a changed byte anywhere, header included', async () => {
    const c = await clinicWithChartAndDana();
    const { bytes } = await createScheduledBackup(c.store);
    const target = emptyDb();
    const secret = { username: 'alex', passphrase: c.passphrase };
    const body = bytes.slice();
    body[body.length - 5]! ^= 1;
    await expect(restoreBackup(target, body, secret)).rejects.toThrow(/changed or damaged/);
    const header = bytes.slice();
    const at = new TextDecoder().decode(header).indexOf('"createdAt":"') + 14;
    header[at]! ^= 1;
    await expect(restoreBackup(target, header, secret)).rejects.toThrow();
    expect(await allTables(target)).toEqual([[], [], [], [], [], []]);
  });
});
