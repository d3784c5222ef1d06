import Dexie from 'dexie';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_EVENT_KIND, type SyncedAuditEvent } from '../../shared/model';
import type { BundleChange } from '../../shared/sync/bundle';
import { HybridClock } from '../../shared/sync/hlc';
import { uuidv7 } from '../../shared/util/ids';
import { type StoredAuditRow, verifyAuditChain } from './audit-chain';
import { auditMacKeysFor } from './audit-key';
import { listAuditEvents } from './audit-repository';
import { isAuditOutboxRow } from './audit-outbox';
import { auditChangesFor } from './audit-sync';
import { KatDatabase } from './database';
import { MIGRATIONS } from './migrations';
import { RecordStore } from './record-store';
import type { Session } from './session';
import { type RemoteBundle, applyRemotePage } from './sync-apply';
import { openIssues } from './sync-state';
import { addMaya, freshClinic } from './test-support';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

const SERVER_ID_A = uuidv7();
let n = 0;
let seq = 0;

/** Device A charts; device B (same clinic and key, its own database and chain) receives. */
async function twoDevices() {
  const a = await freshClinic();
  const dbB = new KatDatabase(`audit-sync-b-${Date.now()}-${n++}`);
  opened.push(a.db, dbB);
  const sessionB: Session = {
    ...a.session,
    deviceId: 'deviceb',
    clock: new HybridClock('deviceb'),
  };
  const b = { db: dbB, session: sessionB, store: new RecordStore(dbB, sessionB) };
  const patient = await addMaya(a.store);
  await a.store.audit('view', {
    recordKind: 'patient',
    recordId: patient.id,
    patientId: patient.id,
  });
  await a.store.audit('print', { patientId: patient.id, detail: 'Consent packet' });
  return { a, b, patient };
}

/** What A's sync engine would send: every audit change waiting in its outbox, in order. */
async function auditChanges(db: KatDatabase, clinicId: string): Promise<BundleChange[]> {
  const rows = (await db.outbox.orderBy('seq').toArray()).filter(isAuditOutboxRow);
  const changes = await auditChangesFor(db, clinicId, rows);
  return rows.flatMap((r) => changes.get(r.recordId) ?? []);
}

function deliver(
  to: { db: KatDatabase; session: Session },
  changes: BundleChange[],
  from = SERVER_ID_A,
) {
  const bundle: RemoteBundle = { seq: ++seq, bundleId: uuidv7(), fromDevice: from, changes };
  return applyRemotePage({ db: to.db, ...to.session }, [bundle], {
    cursor: seq,
    epoch: 'e'.repeat(32),
  });
}

const rowsOf = async (db: KatDatabase, deviceId: string) =>
  ((await db.audit.toArray()) as StoredAuditRow[])
    .filter((r) => r.deviceId === deviceId)
    .sort((x, y) => x.seq! - y.seq!);

describe('audit events sync like records', () => {
  it('queues every appended event in the outbox, in the same transaction', async () => {
    const { a } = await twoDevices();
    const events = await a.db.audit.toArray();
    const queued = (await a.db.outbox.toArray()).filter(isAuditOutboxRow);
    expect(queued.map((q) => q.recordId).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('a receiving device stores them, verifies the sender’s chain and reads the detail', async () => {
    const { a, b } = await twoDevices();
    const changes = await auditChanges(a.db, a.session.clinicId);
    const result = await deliver(b, changes);
    expect(result.rejected).toBe(0);
    const received = await rowsOf(b.db, a.session.deviceId);
    expect(received.map((r) => r.hash)).toEqual(
      (await rowsOf(a.db, a.session.deviceId)).map((r) => r.hash),
    );
    // Received events are never queued again: each device sends only its own chain.
    expect((await b.db.outbox.toArray()).filter(isAuditOutboxRow)).toHaveLength(0);
    await b.store.audit('view');
    const report = await verifyAuditChain(
      b.db,
      await auditMacKeysFor(b.session),
      new Date(),
      b.session.deviceId,
    );
    expect(report.ok).toBe(true);
    expect(report.devices.find((d) => d.deviceId === a.session.deviceId)).toMatchObject({
      received: true,
      events: received.length,
    });
    expect(report.devices.find((d) => d.deviceId === 'deviceb')?.received).toBe(false);
    const print = (await listAuditEvents(b.store, { action: 'print' }))[0]!;
    expect(print.detail).toBe('Consent packet');
    expect(print.deviceId).toBe(a.session.deviceId);
  });

  it('a second delivery of the same events changes nothing', async () => {
    const { a, b } = await twoDevices();
    const changes = await auditChanges(a.db, a.session.clinicId);
    await deliver(b, changes);
    const before = await b.db.audit.count();
    const result = await deliver(b, changes);
    expect(result.rejected).toBe(0);
    expect(await b.db.audit.count()).toBe(before);
    expect(await openIssues(b.db)).toHaveLength(0);
  });

  it('refuses a change to an event already held, and keeps the original', async () => {
    const { a, b } = await twoDevices();
    const changes = await auditChanges(a.db, a.session.clinicId);
    await deliver(b, changes);
    const target = changes[1]!.record as SyncedAuditEvent;
    const forged = { ...changes[1]!, record: { ...target, patientId: uuidv7() } };
    await deliver(b, [forged]);
    expect((await b.db.audit.get(target.id))!.patientId).toBe(target.patientId);
    const issues = await openIssues(b.db);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/Audit events never change, so the change was refused/);
    expect(issues[0]!.recordId).toBe(target.id);
  });

  it('refuses events written in this computer’s name or for a chain another device writes', async () => {
    const { a, b } = await twoDevices();
    const changes = await auditChanges(a.db, a.session.clinicId);
    await deliver(b, changes.slice(0, 1));
    const later = changes.slice(1);
    await deliver(b, later, uuidv7()); // a different server device speaking for A's chain
    const mine = { ...later[0]!, record: { ...(later[0]!.record as object), deviceId: 'deviceb' } };
    await deliver(b, [mine], uuidv7());
    expect(await b.db.audit.count()).toBe(1);
    const words = (await openIssues(b.db)).map((i) => i.message).join('\n');
    expect(words).toMatch(/in the name of device .*, which another device writes/);
    expect(words).toMatch(/in the name of this computer/);
  });

  it('names the sending device and the first broken link when a received event is altered', async () => {
    const { a, b } = await twoDevices();
    await deliver(b, await auditChanges(a.db, a.session.clinicId));
    const second = (await rowsOf(b.db, a.session.deviceId))[1]!;
    await b.db.audit.update(second.id, { userId: uuidv7() });
    const report = await verifyAuditChain(
      b.db,
      await auditMacKeysFor(b.session),
      new Date(),
      b.session.deviceId,
    );
    expect(report.ok).toBe(false);
    expect(report.devices.find((d) => d.firstBreak)).toMatchObject({
      deviceId: a.session.deviceId,
      received: true,
      firstBreak: {
        seq: 2,
        eventId: second.id,
        problem: 'Event 2 was changed after it was written.',
      },
    });
  });

  it('catches a received event deleted in the middle or at the end', async () => {
    const { a, b } = await twoDevices();
    await deliver(b, await auditChanges(a.db, a.session.clinicId));
    const events = await rowsOf(b.db, a.session.deviceId);
    await b.db.audit.delete(events[events.length - 1]!.id);
    let report = await verifyAuditChain(
      b.db,
      await auditMacKeysFor(b.session),
      new Date(),
      b.session.deviceId,
    );
    expect(report.devices[0]!.firstBreak?.problem).toBe(
      'The newest event is missing: it was deleted after it was received.',
    );
    await b.db.audit.delete(events[0]!.id);
    report = await verifyAuditChain(
      b.db,
      await auditMacKeysFor(b.session),
      new Date(),
      b.session.deviceId,
    );
    expect(report.devices[0]!.firstBreak).toMatchObject({
      seq: 1,
      problem:
        'Event 1 is missing: it was deleted from this computer, or never arrived from that device.',
    });
  });

  it('sets garbage aside with a clear message and stores nothing (fuzz)', async () => {
    const { a, b } = await twoDevices();
    const [good] = await auditChanges(a.db, a.session.clinicId);
    const base = good!.record as Record<string, unknown>;
    const junk = fc.oneof(
      fc.record({ kind: fc.constant(AUDIT_EVENT_KIND) }, { requiredKeys: ['kind'] }),
      fc
        .tuple(fc.constantFrom(...Object.keys(base)), fc.anything({ maxDepth: 2 }))
        .map(([key, value]) => ({ ...base, [key]: value })),
      fc.string({ maxLength: 5000 }).map((s) => ({ ...base, hash: s, prevHash: s })),
      fc.integer().map((i) => ({ ...base, seq: i, id: uuidv7() })),
    );
    await fc.assert(
      fc.asyncProperty(junk, async (record) => {
        const parsedOk = JSON.stringify(record) === JSON.stringify(base);
        fc.pre(!parsedOk);
        const before = await b.db.audit.count();
        const issuesBefore = (await openIssues(b.db)).length;
        await deliver(b, [{ ...good!, record }]);
        const stored = await b.db.audit.count();
        // A junk event is stored only if it is a well-formed event (a valid seq on a fresh id is).
        if (stored > before) {
          expect((record as { seq: number }).seq).toBeGreaterThan(0);
          await b.db.audit.clear();
          await b.db.meta.where('key').startsWith('audit-').delete();
          return;
        }
        const issues = await openIssues(b.db);
        expect(issues.length).toBe(issuesBefore + 1);
        expect(issues[0]!.message.length).toBeGreaterThan(20);
      }),
      { numRuns: 60 },
    );
  });
});

describe('upgrading a computer whose audit events did not sync yet (migration v4)', () => {
  it('queues its own chained events once, in chain order, and nothing received', async () => {
    const name = `audit-backfill-${Date.now()}`;
    const old = new Dexie(name);
    for (const m of MIGRATIONS.filter((x) => x.version <= 3))
      old.version(m.version).stores(m.stores);
    await old.open();
    await old.table('meta').put({ key: 'clinic', value: { clinicId: uuidv7(), deviceId: 'mine' } });
    const event = (deviceId: string, seq: number) => ({
      id: uuidv7(),
      at: new Date().toISOString(),
      userId: '',
      deviceId,
      action: 'view',
      recordKind: '',
      recordId: '',
      patientId: '',
      seq,
      prevHash: `sha256:${'0'.repeat(64)}`,
      hash: `sha256:${String(seq).repeat(64).slice(0, 64)}`,
    });
    const own = [event('mine', 2), event('mine', 1)];
    await old.table('audit').bulkAdd([...own, event('theirs', 1)]);
    await old.table('outbox').add({ changeId: 'c1', recordId: 'r1', kind: 'note', hlc: 'h1' });
    old.close();
    const db = new KatDatabase(name);
    opened.push(db);
    await db.open();
    const queued = (await db.outbox.orderBy('seq').toArray()).filter(isAuditOutboxRow);
    expect(queued.map((q) => q.recordId)).toEqual([own[1]!.id, own[0]!.id]);
    expect(await db.outbox.count()).toBe(3);
  });
});
