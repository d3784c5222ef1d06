import { liveQuery } from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addUser } from './auth';
import { STAYS_IN_CLINIC } from '../../shared/rules/disclosures';
import {
  auditCsv,
  auditLogExported,
  deviceWordsFor,
  listAuditEvents,
  newestAuditEvents,
} from './audit-repository';
import { PERIOD_STEP, matchingAuditRows } from './audit-rows';
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
      'When (UTC),Action,User,User id,Patient,Patient id,Record,Record kind,Record id,Detail,Computer,Device,Chain position',
    );
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""click""), ""quoted"""`);
    await auditLogExported(c.store, 'CSV', entries.length, {}, STAYS_IN_CLINIC);
    const [latest] = await listAuditEvents(c.store);
    expect(latest).toMatchObject({
      action: 'export',
      detail: `Audit log CSV, ${entries.length} events, kept in the clinic`,
    });
  });

  it('says record kinds and computers in words', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const maya = await c.store.create('patient', person('Maya', 'Okafor'));
    await c.store.audit('view', {
      recordKind: 'inventory-transaction',
      recordId: 'tx-1',
      patientId: maya.id,
    });
    // An event written on another computer and received through sync.
    await c.db.audit.add({
      id: 'evt-from-laptop',
      at: new Date().toISOString(),
      userId: c.session.user.id,
      deviceId: 'd-laptop-0042',
      action: 'view',
      recordKind: 'note',
      recordId: 'n-1',
      patientId: maya.id,
    });
    const entries = await listAuditEvents(c.store, { patientId: maya.id });
    const mine = entries.find((e) => e.recordId === 'tx-1')!;
    expect(mine).toMatchObject({
      recordWords: 'Controlled-substance log entry',
      deviceLabel: 'This computer',
    });
    expect(entries.find((e) => e.id === 'evt-from-laptop')).toMatchObject({
      recordWords: 'Note',
      deviceLabel: 'Computer d-lapt',
    });
    expect(entries.find((e) => e.action === 'create')?.recordWords).toBe('Patient');
    const csv = auditCsv(entries);
    expect(csv).toContain('Controlled-substance log entry,inventory-transaction,tx-1');
    expect(csv).toContain(`Computer d-lapt,d-laptop-0042`);
  });

  it('gives the newest page in the whole log’s order, ties included, and counts only a short log', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const maya = await c.store.create('patient', person('Maya', 'Okafor'));
    // Thirty events, three to a timestamp (sync brings events written the same millisecond).
    await c.db.audit.bulkAdd(
      Array.from({ length: 30 }, (_, i) => ({
        id: `evt-${(i * 7) % 30}`,
        at: new Date(Date.UTC(2026, 0, 1, 9, Math.floor(i / 3))).toISOString(),
        userId: c.session.user.id,
        deviceId: 'd-laptop-0042',
        action: i % 2 ? ('view' as const) : ('print' as const),
        recordKind: 'patient',
        recordId: maya.id,
        patientId: maya.id,
      })),
    );
    const from = '2026-01-01T09:02:00.000Z';
    for (const filter of [{}, { from }, { from, to: '2026-01-01T09:07:00.000Z' }]) {
      const all = await listAuditEvents(c.store, filter);
      const page = await newestAuditEvents(c.store, filter, 8);
      expect(page.total).toBeUndefined(); // not counted: more than a page
      expect(page.entries).toEqual(all.slice(0, 8));
      expect(await newestAuditEvents(c.store, filter, all.length + 1)).toEqual({
        total: all.length,
        entries: all,
      });
    }
    // A filter other than the period reads its events whole, through the narrowest index.
    const views = await newestAuditEvents(c.store, { action: 'view', from }, 8);
    const all = await listAuditEvents(c.store, { action: 'view', from });
    expect(views.entries).toEqual(all);
    expect(views.total).toBe(12);
    expect(all.every((e) => e.action === 'view' && e.at >= from)).toBe(true);
  });

  it('reads a whole period in steps, none twice or skipped where a step ends among ties', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    // 23 events on 5 instants (sync brings events written the same millisecond), read 4 at a time.
    await c.db.audit.bulkAdd(
      Array.from({ length: 23 }, (_, i) => ({
        id: `evt-${String((i * 7) % 23).padStart(2, '0')}`,
        at: new Date(Date.UTC(2020, 0, 1, 9, i % 5)).toISOString(),
        userId: c.session.user.id,
        deviceId: c.session.deviceId,
        action: 'view' as const,
        recordKind: '',
        recordId: '',
        patientId: '',
      })),
    );
    const inOrder = (await c.db.audit.orderBy('at').toArray()).map((r) => r.id);
    const steps: string[][] = [];
    for await (const rows of matchingAuditRows(c.db, {}, 4)) steps.push(rows.map((r) => r.id));
    expect(steps.flat()).toEqual(inOrder);
    expect(steps.length).toBeGreaterThan(3);
  });

  it('stops reading a whole period at the next step once it is no longer wanted', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const start = Date.UTC(2020, 0, 1);
    await c.db.audit.bulkAdd(
      Array.from({ length: 3 * PERIOD_STEP }, (_, i) => ({
        id: `evt-${i}`,
        at: new Date(start + i * 1000).toISOString(),
        userId: c.session.user.id,
        deviceId: c.session.deviceId,
        action: 'view' as const,
        recordKind: '',
        recordId: '',
        patientId: '',
      })),
    );
    const read = vi.spyOn(c.db.audit, 'where');
    // The reviewer picks another period while the first step is being read.
    let wanted = true;
    const partial = await listAuditEvents(
      c.store,
      {},
      () => 'Okafor, Maya',
      () => {
        const was = wanted;
        wanted = false;
        return was;
      },
    );
    // two steps read (the one under way when it was asked, and the one before), not the third
    expect(partial).toHaveLength(2 * PERIOD_STEP);
    const steps = read.mock.calls.length;
    read.mockClear();
    const whole = await listAuditEvents(c.store, {}, () => 'Okafor, Maya');
    expect(whole.length).toBeGreaterThan(3 * PERIOD_STEP); // and the clinic's own first events
    expect(read.mock.calls.length).toBeGreaterThan(steps);
  });

  it('keeps a whole period read in steps current as events are written', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const start = Date.UTC(2020, 0, 1);
    await c.db.audit.bulkAdd(
      Array.from({ length: PERIOD_STEP + 100 }, (_, i) => ({
        id: `evt-${i}`,
        at: new Date(start + i * 1000).toISOString(),
        userId: c.session.user.id,
        deviceId: c.session.deviceId,
        action: 'view' as const,
        recordKind: '',
        recordId: '',
        patientId: '',
      })),
    );
    const seen: number[] = [];
    let latest: string | undefined;
    const live = liveQuery(() => listAuditEvents(c.store, {})).subscribe((entries) => {
      seen.push(entries.length);
      latest = entries[0]?.id;
    });
    try {
      await expect.poll(() => seen.length, { timeout: 20_000 }).toBe(1);
      await c.db.audit.add({
        id: 'evt-written-now',
        at: new Date(Date.now() + 60_000).toISOString(),
        userId: c.session.user.id,
        deviceId: c.session.deviceId,
        action: 'print',
        recordKind: '',
        recordId: '',
        patientId: '',
      });
      await expect.poll(() => latest, { timeout: 20_000 }).toBe('evt-written-now');
      expect(seen.at(-1)).toBe(seen[0]! + 1);
    } finally {
      live.unsubscribe();
    }
  }, 60_000);

  it('names a computer enrolled in the clinic by its owner', () => {
    const devices = new Map([['d-owned-9876', { owner: 'u-sam' }]]);
    const names = new Map([['u-sam', 'Sam Lee']]);
    expect(deviceWordsFor('d-owned-9876', 'd-here', devices, names)).toBe(
      'Sam Lee’s computer (d-owne)',
    );
    expect(deviceWordsFor('d-here', 'd-here', devices, names)).toBe('This computer');
    expect(deviceWordsFor('d-stranger', 'd-here', devices, names)).toBe('Computer d-stra');
  });
});
