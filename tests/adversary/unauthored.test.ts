/**
 * Versions no writer's signature covers, in a clinic that requires writers (issue 13, what the
 * closing note left open): an edit queued on a computer before it could sign (an older version of
 * KAT Chart stored it without `author`) must not go out unauthored, where every other computer
 * refuses it and the text is lost there. Its writer signs it at the push when they are the one
 * signed in on the computer that made it; anything else stays in the outbox, named in
 * Settings → Clinic server, until its writer signs in there. Through the real server process.
 */
import { describe, expect, it } from 'vitest';

import { addUser } from '../../renderer/db/auth';
import type { KatDatabase } from '../../renderer/db/database';

import { addMaya } from '../../renderer/db/test-support';
import { waitingForWriter } from '../../renderer/trust/authors';
import { readTrustStatus } from '../../renderer/trust/status';

import {
  DANA,
  addDana,
  adminComputer,
  joinComputer,
  round,
  signInOn,
  hostileWorld,
  PAT,
  doseBody,
  refusals,
} from './world';

const world = hostileWorld();

/** What an older KAT Chart left on disk for this write: the record and its change, unsigned. */
async function asQueuedBeforeTheUpgrade(db: KatDatabase, id: string) {
  await db.records
    .where('id')
    .equals(id)
    .modify((r) => void delete r.author);
  await db.outbox
    .where('recordId')
    .equals(id)
    .modify((r) => void delete r.author);
}

/** The administrator's computer (a desk colleagues share) and Pat's own computer. */
async function clinic() {
  const a = await adminComputer(world.server);
  world.computers.push(a);
  const pat = await addUser(a.store, PAT);
  await addDana(a);
  const patient = await addMaya(a.store);
  await round(a);
  const p = await joinComputer(a, world.server, PAT);
  world.computers.push(p);
  await round(p);
  await round(a);
  return { a, p, pat, patientId: patient.id };
}

describe('an edit queued before the clinic required writers', () => {
  it('on its writer’s own computer: signed by them at the push, and it arrives', async () => {
    const { a, p, pat, patientId } = await clinic();
    const dose = await p.store.create('dose', doseBody(patientId, pat.id, 35));
    await asQueuedBeforeTheUpgrade(p.db, dose.id);

    await round(p);
    await round(a);
    expect((await a.store.get('dose', dose.id))?.doseMg).toBe(35);
    expect(await refusals(a)).toEqual([]);
    expect(await waitingForWriter(p.db)).toEqual([]);
  }, 240_000);

  it('at a shared desk while a colleague is signed in: kept and named, never sent unsigned; it arrives once its writer signs in there', async () => {
    const { a, p, pat, patientId } = await clinic();
    const atDesk = await signInOn(a, PAT.username, PAT.passphrase);
    const dose = await atDesk.create('dose', doseBody(patientId, pat.id, 42));
    await asQueuedBeforeTheUpgrade(a.db, dose.id);
    // Pat leaves; Dana (a therapist, who may not write doses) signs in at the same desk.
    await signInOn(a, DANA.username, DANA.passphrase);

    await round(a);
    await round(p);
    // Not sent (Pat's computer would refuse it unsigned), not dropped: still queued, and named.
    expect(await p.db.records.get(dose.id)).toBeUndefined();
    expect(await refusals(p)).toEqual([]);
    expect(await a.db.outbox.where('recordId').equals(dose.id).count()).toBeGreaterThan(0);
    expect(await waitingForWriter(a.db)).toEqual([
      { recordId: dose.id, kind: 'dose', writer: pat.id, why: 'unsigned' },
    ]);
    const { waitingForWriter: shown } = await readTrustStatus(a.store);
    expect(shown).toEqual(['A dose record written by Pat Moreno on this computer']);

    // Pat signs in at the desk again: the next round signs it as his, and it arrives.
    await signInOn(a, PAT.username, PAT.passphrase);
    await round(a);
    await round(p);
    expect((await p.store.get('dose', dose.id))?.doseMg).toBe(42);
    expect(await refusals(p)).toEqual([]);
    expect(await waitingForWriter(a.db)).toEqual([]);
  }, 240_000);
});
