import { afterEach, describe, expect, it } from 'vitest';
import { signIn } from './auth';
import {
  auditEventHash,
  type ChainHead,
  chainHeadKey,
  GENESIS_HASH,
  type StoredAuditRow,
  verifyAuditChain,
} from './audit-chain';
import { auditMacKeysFor } from './audit-key';
import { checkSealAgainstLog, currentAuditSeal, verifyAuditLog } from './audit-repository';
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
  const verify = async () =>
    verifyAuditChain(c.db, await auditMacKeysFor(c.session), new Date(), c.session.deviceId);
  return { ...c, patient: p, rows, verify };
}

describe('audit hash chain', () => {
  it('chains every event of this device in order, starting from the genesis hash', async () => {
    const { rows, verify } = await clinicWithHistory();
    const events = await rows();
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(report.devices[0]!.events).toBe(events.length);
  });

  it('names the first event that was changed after it was written', async () => {
    const { db, rows, verify } = await clinicWithHistory();
    const victim = (await rows())[2]!;
    await db.audit.update(victim.id, { action: 'create' === victim.action ? 'view' : 'create' });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.devices[0]!.firstBreak).toMatchObject({
      seq: 3,
      eventId: victim.id,
      problem: 'Event 3 was changed after it was written.',
    });
  });

  it('catches a changed user, a swapped encrypted detail and a recomputed hash', async () => {
    const { db, rows, verify } = await clinicWithHistory();
    const events = await rows();
    const print = events.find((e) => e.action === 'print')!;
    const other = events.find((e) => e.action === 'view')!;
    await db.audit.update(print.id, { detail: { ...print.detail!, ct: new Uint8Array(4) } });
    expect((await verify()).devices[0]!.firstBreak?.seq).toBe(print.seq);
    // Putting the detail back but claiming another user did it is caught just the same.
    await db.audit.update(print.id, { detail: print.detail, userId: other.id });
    expect((await verify()).ok).toBe(false);
  });

  it('reports a deleted event in the middle and a deleted newest event', async () => {
    const { db, rows, verify } = await clinicWithHistory();
    const events = await rows();
    await db.audit.delete(events[events.length - 1]!.id);
    let report = await verify();
    expect(report.devices[0]!.firstBreak?.problem).toBe(
      'The newest event is missing: it was deleted after it was written.',
    );
    await db.audit.delete(events[1]!.id);
    report = await verify();
    expect(report.devices[0]!.firstBreak).toMatchObject({
      seq: 2,
      problem: 'Event 2 is missing: it was deleted from this computer.',
    });
  });

  it('leaves no event behind when the record write it belongs to fails', async () => {
    const { db, store, patient, rows, verify } = await clinicWithHistory();
    const before = (await rows()).length;
    // A stale "before" makes the commit refuse inside the transaction.
    await db.records.update(patient.id, { updatedAt: '9999' });
    await expect(store.update('patient', patient.id, () => ({ phone: '1' }))).rejects.toThrow();
    expect((await rows()).length).toBe(before);
    expect((await verify()).ok).toBe(true);
  });

  it('chains a failed sign-in like every other event', async () => {
    const { db, verify } = await clinicWithHistory();
    await expect(signIn(db, 'alex', 'not the passphrase')).rejects.toThrow();
    const failed = (await db.audit
      .where('action')
      .equals('sign-in-failed')
      .toArray()) as StoredAuditRow[];
    expect(failed).toHaveLength(1);
    // Nobody is signed in, so there is no clinic key to link it with: a plain link, accepted only
    // for events written while nobody is signed in.
    expect(failed[0]!.hash).toMatch(/^sha256:/);
    const report = await verify();
    expect(report.unchained).toBe(0);
    expect(report.ok).toBe(true);
  });

  it('links every event of a session with a key derived from the clinic key', async () => {
    const { rows } = await clinicWithHistory();
    for (const e of await rows()) expect(e.hash).toMatch(/^hmac:1:[0-9a-f]{64}$/);
  });
});

/**
 * Issue 18 finding 2: with devtools an insider deletes events and fixes the chain up. Before the
 * chain was keyed and anchored, each of these attacks left "Verify audit chain" reporting intact.
 */
describe('trimming the audit trail', () => {
  /** What an attacker without the clinic key can do: re-link from `fromSeq` on with plain SHA-256. */
  async function rechain(db: KatDatabase, fromSeq: number) {
    const all = ((await db.audit.toArray()) as StoredAuditRow[]).sort((a, b) => a.seq! - b.seq!);
    let prev = all.find((e) => e.seq === fromSeq - 1)?.hash ?? GENESIS_HASH;
    let seq = fromSeq - 1;
    for (const e of all.filter((x) => x.seq! >= fromSeq)) {
      seq++;
      const link = { ...e, seq, prevHash: prev };
      const hash = auditEventHash(link);
      await db.audit.put({ ...link, hash } as never);
      prev = hash;
    }
    const deviceId = all[0]!.deviceId;
    await db.meta.put({ key: chainHeadKey(deviceId), value: { seq, hash: prev } });
  }

  it('catches a deleted event in the middle once the chain is fixed up around it', async () => {
    const { db, rows, verify } = await clinicWithHistory();
    const events = await rows();
    await db.audit.delete(events[2]!.id);
    await rechain(db, 3);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.devices[0]!.firstBreak).toMatchObject({
      seq: 3,
      problem:
        'Event 3 is not sealed with the clinic key: it was written or rewritten outside KAT Chart.',
    });
  });

  it('catches a forged link made with the wrong key', async () => {
    const { db, rows, verify } = await clinicWithHistory();
    const last = (await rows()).at(-1)!;
    const forged = auditEventHash(
      { ...last, action: 'view', seq: last.seq!, prevHash: last.prevHash! },
      { version: 1, key: new Uint8Array(32).fill(7) },
    );
    await db.audit.update(last.id, { action: 'view', hash: forged } as never);
    await db.meta.put({
      key: chainHeadKey(last.deviceId),
      value: { seq: last.seq!, hash: forged },
    });
    expect((await verify()).devices[0]!.firstBreak?.problem).toBe(
      `Event ${last.seq} was changed after it was written.`,
    );
  });

  it('names the events deleted from the end after a seal, even with the head moved back', async () => {
    const c = await clinicWithHistory();
    const seal = await currentAuditSeal(c.store);
    expect(seal).toMatch(
      /^KAT audit seal · computer [0-9A-F]{8} · event \d+ · [0-9A-F]{4}(-[0-9A-F]{4}){3} · \d{4}-\d\d-\d\d$/,
    );
    const events = await c.rows();
    const n = events.length;
    expect((await checkSealAgainstLog(c.store, seal)).ok).toBe(true);
    // Delete the newest three events and move the head back to what is left.
    for (const e of events.slice(-3)) await c.db.audit.delete(e.id);
    const left = events[n - 4]!;
    await c.db.meta.put({
      key: chainHeadKey(left.deviceId),
      value: { seq: left.seq!, hash: left.hash! } satisfies ChainHead,
    });
    // The chain on its own is a valid, shorter chain ...
    expect((await verifyAuditLog(c.store)).ok).toBe(true);
    // ... but the seal filed before says what is gone. Typed in lower case, as people do.
    const check = await checkSealAgainstLog(c.store, seal.toLowerCase());
    expect(check).toEqual({
      ok: false,
      message: expect.stringContaining(
        `Events ${n - 2} to ${n} of computer ${c.session.deviceId.slice(-8).toUpperCase()} are missing: the log here ends at event ${n - 3}, but the seal names event ${n}.`,
      ),
    });
  });

  it('catches a sealed event replaced by another of the same number', async () => {
    const c = await clinicWithHistory();
    const seal = await currentAuditSeal(c.store);
    const events = await c.rows();
    const last = events.at(-1)!;
    await c.db.audit.delete(last.id);
    await c.db.meta.put({
      key: chainHeadKey(last.deviceId),
      value: { seq: last.seq! - 1, hash: last.prevHash! },
    });
    // A new event takes the deleted one's number with a proper key (an insider signed in).
    await c.store.audit('view', { recordKind: 'patient', recordId: c.patient.id });
    expect((await verifyAuditLog(c.store)).ok).toBe(true);
    expect((await checkSealAgainstLog(c.store, seal)).message).toBe(
      `Event ${last.seq} of computer ${c.session.deviceId.slice(-8).toUpperCase()} is not the event that was sealed: the log was rewritten after the seal was made.`,
    );
  });

  it('refuses a text that is not a seal, in words', async () => {
    const c = await clinicWithHistory();
    expect((await checkSealAgainstLog(c.store, 'event 12')).message).toMatch(
      /^That is not an audit seal/,
    );
  });
});
