import { describe, expect, it } from 'vitest';
import { addUser, signIn } from './auth';
import { type ChainHead, chainHeadKey, type StoredAuditRow, verifyAuditChain } from './audit-chain';
import { auditMacKeysFor } from './audit-key';
import { checkSealAgainstLog, verifyAuditLog } from './audit-repository';
import { readBackupHeader } from '../../shared/backup/format';
import { createBackup, restoreBackup } from './backup';
import { RecordStore } from './record-store';
import {
  allTables,
  restoredTablesAs,
  clinicWithChart,
  deleteDatabasesAfterEach,
  emptyDb,
} from './backup-test-support';

const BACKUP_PASS = 'offsite copy kept in the safe';
deleteDatabasesAfterEach();

async function clinicWithChartPrinted() {
  const c = await clinicWithChart();
  await c.store.audit('print', { patientId: c.maya.id, detail: 'Consent packet' });
  return c;
}

describe('encrypted backup and restore', () => {
  it('carries the audit seal in its header, which catches events deleted after it was made', async () => {
    const c = await clinicWithChartPrinted();
    const { bytes } = await createBackup(c.store, BACKUP_PASS);
    const seal = readBackupHeader(bytes).header.auditSeal!;
    expect(seal).toMatch(/^KAT audit seal · computer [0-9A-F]{8} · event \d+ · /);
    expect((await checkSealAgainstLog(c.store, seal)).ok).toBe(true);
    // An insider deletes the newest events (the backup's own export among them) and moves the head.
    const rows = ((await c.db.audit.toArray()) as StoredAuditRow[]).sort((a, b) => a.seq! - b.seq!);
    for (const e of rows.slice(-2)) await c.db.audit.delete(e.id);
    const left = rows.at(-3)!;
    await c.db.meta.put({
      key: chainHeadKey(left.deviceId),
      value: { seq: left.seq!, hash: left.hash! } satisfies ChainHead,
    });
    expect((await verifyAuditLog(c.store)).ok).toBe(true);
    const check = await checkSealAgainstLog(c.store, seal);
    expect(check.ok).toBe(false);
    expect(check.message).toContain(`Events ${left.seq! + 1} to ${left.seq! + 2} of computer`);
  });

  it('restores every table byte for byte into a fresh install, and the clinic opens', async () => {
    const c = await clinicWithChartPrinted();
    const { bytes } = await createBackup(c.store, BACKUP_PASS);
    const before = await allTables(c.db);
    const target = emptyDb();
    const clinic = await restoreBackup(target, bytes, BACKUP_PASS);
    expect(clinic.clinicId).toBe(c.session.clinicId);
    // Byte for byte, but for the computer's local id: the restored copy is a new computer (a fork
    // of the one backed up, whose clock node and audit chain it must not continue; backup.ts).
    expect(clinic.deviceId).not.toBe(c.session.deviceId);
    expect(await restoredTablesAs(target, c.session.deviceId)).toEqual(before);

    const session = await signIn(target, 'alex', c.passphrase);
    const store = new RecordStore(target, session);
    const note = await store.get('note', c.note.id);
    expect(note?.status).toBe('signed');
    expect(note?.sections).toEqual({ subjective: 'Felt held by the music' });
    expect((await store.get('patient', c.maya.id))?.lastName).toBe('Okafor');
    expect((await verifyAuditChain(target, await auditMacKeysFor(session))).ok).toBe(true);
  });

  it('holds no patient text in the clear and refuses a wrong backup passphrase', async () => {
    const c = await clinicWithChartPrinted();
    const { bytes, fileName } = await createBackup(c.store, BACKUP_PASS);
    expect(fileName).toMatch(
      /^Harbor-Ketamine-Clinic-backup-\d{4}-\d\d-\d\d-\d\d-\d\d\.katbackup$/,
    );
    expect(new TextDecoder().decode(bytes)).not.toMatch(/Okafor|Maya|held by the music/);
    const target = emptyDb();
    await expect(restoreBackup(target, bytes, 'not the backup passphrase')).rejects.toThrow(
      /backup passphrase is not correct/,
    );
    expect(await allTables(target)).toEqual([[], [], [], [], [], []]);
  });

  it('refuses a damaged file, a forged header and a computer that already has a clinic', async () => {
    const c = await clinicWithChartPrinted();
    const { bytes } = await createBackup(c.store, BACKUP_PASS);
    const damaged = bytes.slice();
    damaged[damaged.length - 5]! ^= 0xff;
    const target = emptyDb();
    await expect(restoreBackup(target, damaged, BACKUP_PASS)).rejects.toThrow(/changed or damaged/);
    const forged = bytes.slice();
    const at = new TextDecoder().decode(forged).indexOf('"createdAt":"') + 14;
    forged[at] = forged[at] === 0x31 ? 0x32 : 0x31; // one digit of the year in the clear header
    await expect(restoreBackup(target, forged, BACKUP_PASS)).rejects.toThrow(/changed or damaged/);
    await expect(restoreBackup(target, bytes.slice(0, 200), BACKUP_PASS)).rejects.toThrow(
      /not a KAT Chart backup/,
    );
    expect(await allTables(target)).toEqual([[], [], [], [], [], []]);
    await expect(restoreBackup(c.db, bytes, BACKUP_PASS)).rejects.toThrow(/already has a clinic/);
  });

  it('is made by administrators only, and the backup records that it was made', async () => {
    const c = await clinicWithChartPrinted();
    const dana = await addUser(c.store, {
      displayName: 'Dana Therapist',
      username: 'dana',
      roles: ['therapist'],
      passphrase: 'a long enough passphrase',
    });
    await expect(
      createBackup(new RecordStore(c.db, { ...c.session, user: dana }), BACKUP_PASS),
    ).rejects.toThrow(/Only an administrator/);
    const { bytes } = await createBackup(c.store, BACKUP_PASS);
    const target = emptyDb();
    await restoreBackup(target, bytes, BACKUP_PASS);
    expect(await target.audit.where('action').equals('export').count()).toBe(1);
  });
});
