import { afterEach, describe, expect, it } from 'vitest';
import { signIn } from './auth';
import { GENESIS_HASH, type StoredAuditRow, verifyAuditChain } from './audit-chain';
import type { KatDatabase } from './database';
import { freshClinic, MAYA } from './test-support';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});
async function clinicWithHistory() {
  const c = await freshClinic();
  opened.push(c.db);
  const p = await c.store.create('patient', MAYA);
  await c.store.audit('view', { recordKind: 'patient', recordId: p.id, patientId: p.id });
  await c.store.update('patient', p.id, () => ({ phone: '555-0142' }));
  await c.store.audit('print', { patientId: p.id, detail: 'Consent packet' });
  const rows = async () =>
    ((await c.db.audit.toArray()) as StoredAuditRow[]).sort((a, b) => a.seq! - b.seq!);
  return { ...c, patient: p, rows };
}

describe('audit hash chain', () => {
  it('chains every event of this device in order, starting from the genesis hash', async () => {
    const { db, rows } = await clinicWithHistory();
    const events = await rows();
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
    const report = await verifyAuditChain(db);
    expect(report.ok).toBe(true);
    expect(report.devices[0]!.events).toBe(events.length);
  });

  it('names the first event that was changed after it was written', async () => {
    const { db, rows } = await clinicWithHistory();
    const victim = (await rows())[2]!;
    await db.audit.update(victim.id, { action: 'create' === victim.action ? 'view' : 'create' });
    const report = await verifyAuditChain(db);
    expect(report.ok).toBe(false);
    expect(report.devices[0]!.firstBreak).toMatchObject({
      seq: 3,
      eventId: victim.id,
      problem: 'Event 3 was changed after it was written.',
    });
  });

  it('catches a changed user, a swapped encrypted detail and a recomputed hash', async () => {
    const { db, rows } = await clinicWithHistory();
    const events = await rows();
    const print = events.find((e) => e.action === 'print')!;
    const other = events.find((e) => e.action === 'view')!;
    await db.audit.update(print.id, { detail: { ...print.detail!, ct: new Uint8Array(4) } });
    expect((await verifyAuditChain(db)).devices[0]!.firstBreak?.seq).toBe(print.seq);
    // Putting the detail back but claiming another user did it is caught just the same.
    await db.audit.update(print.id, { detail: print.detail, userId: other.id });
    expect((await verifyAuditChain(db)).ok).toBe(false);
  });

  it('reports a deleted event in the middle and a deleted newest event', async () => {
    const { db, rows } = await clinicWithHistory();
    const events = await rows();
    await db.audit.delete(events[events.length - 1]!.id);
    let report = await verifyAuditChain(db);
    expect(report.devices[0]!.firstBreak?.problem).toBe(
      'The newest event is missing: it was deleted after it was written.',
    );
    await db.audit.delete(events[1]!.id);
    report = await verifyAuditChain(db);
    expect(report.devices[0]!.firstBreak).toMatchObject({
      seq: 2,
      problem: 'Event 2 is missing: it was deleted from this computer.',
    });
  });

  it('leaves no event behind when the record write it belongs to fails', async () => {
    const { db, store, patient, rows } = await clinicWithHistory();
    const before = (await rows()).length;
    // A stale "before" makes the commit refuse inside the transaction.
    await db.records.update(patient.id, { updatedAt: '9999' });
    await expect(store.update('patient', patient.id, () => ({ phone: '1' }))).rejects.toThrow();
    expect((await rows()).length).toBe(before);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('chains a failed sign-in like every other event', async () => {
    const { db } = await clinicWithHistory();
    await expect(signIn(db, 'alex', 'not the passphrase')).rejects.toThrow();
    const failed = (await db.audit
      .where('action')
      .equals('sign-in-failed')
      .toArray()) as StoredAuditRow[];
    expect(failed).toHaveLength(1);
    expect(failed[0]!.hash).toMatch(/^sha256:/);
    const report = await verifyAuditChain(db);
    expect(report.unchained).toBe(0);
    expect(report.ok).toBe(true);
  });
});
