import { afterEach, describe, expect, it } from 'vitest';
import { addUser } from './auth';
import { STAYS_IN_CLINIC } from '../../shared/rules/disclosures';
import { auditCsv, auditLogExported, listAuditEvents } from './audit-repository';
import type { KatDatabase } from './database';
import { RecordStore } from './record-store';
import { freshClinic } from './test-support';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});
const person = (firstName: string, lastName: string) => ({
  firstName,
  lastName,
  dateOfBirth: '1987-04-12',
  sexAtBirth: 'female' as const,
  active: true,
});

describe('audit log review', () => {
  it('filters by patient, action and user, and shows names and decrypted reasons', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const maya = await c.store.create('patient', person('Maya', 'Okafor'));
    const jonas = await c.store.create('patient', person('Jonas', 'Berg'));
    await c.store.audit('print', { patientId: maya.id, detail: 'Consent packet' });
    await c.store.audit('view', { recordKind: 'patient', recordId: jonas.id, patientId: jonas.id });

    const mayas = await listAuditEvents(c.store, { patientId: maya.id });
    expect(mayas.map((e) => e.action)).toEqual(['print', 'create']);
    expect(mayas[0]).toMatchObject({
      patientName: 'Okafor, Maya',
      userName: 'Alex Admin',
      detail: 'Consent packet',
    });
    expect((await listAuditEvents(c.store, { action: 'view' })).map((e) => e.patientId)).toEqual([
      jonas.id,
    ]);
    expect(await listAuditEvents(c.store, { userId: maya.id })).toEqual([]);
  });

  it('takes any date range, inclusive, without a three-month cap', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const all = await listAuditEvents(c.store, {});
    const at = all[0]!.at;
    expect(
      await listAuditEvents(c.store, { from: '2000-01-01T00:00:00.000Z', to: at }),
    ).toHaveLength(all.length);
    expect(await listAuditEvents(c.store, { to: '2000-01-01T00:00:00.000Z' })).toEqual([]);
  });

  it('is for administrators only', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const dana = await addUser(c.store, {
      displayName: 'Dana Therapist',
      username: 'dana',
      roles: ['therapist'],
      passphrase: 'a long enough passphrase',
    });
    const therapist = new RecordStore(c.db, { ...c.session, user: dana });
    await expect(listAuditEvents(therapist)).rejects.toThrow(/Only an administrator/);
    await expect(auditLogExported(therapist, 'CSV', 1, {}, STAYS_IN_CLINIC)).rejects.toThrow(
      /Only an administrator/,
    );
  });

  it('audits its own export, and writes CSV a spreadsheet cannot run as a formula', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    await c.store.audit('print', { detail: '=HYPERLINK("http://x","click"), "quoted"' });
    const entries = await listAuditEvents(c.store);
    const csv = auditCsv(entries);
    expect(csv.split('\r\n')[0]).toBe(
      'When (UTC),Action,User,User id,Patient,Patient id,Record kind,Record id,Detail,Device,Chain position',
    );
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""click""), ""quoted"""`);
    await auditLogExported(c.store, 'CSV', entries.length, {}, STAYS_IN_CLINIC);
    const [latest] = await listAuditEvents(c.store);
    expect(latest).toMatchObject({
      action: 'export',
      detail: `Audit log CSV, ${entries.length} events, kept in the clinic`,
    });
  });
});
