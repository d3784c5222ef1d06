/**
 * Every change names its writer (issue 13 deliverable 4: "the author's role at the time allows
 * that kind and action"), played against the real server process through the adversary's proxy.
 * The attacker is a therapist signed in on the administrator's computer — a computer colleagues
 * share, confirmed for an administrator, whose computer key may carry every kind — with devtools
 * (browser mode): she gives her session any role, any name, and edits the local store. Each change
 * she makes there must be refused by the other computers; a prescriber's dose written at the
 * same desk must still arrive, even when she is the one signed in when it is pushed.
 */
import { describe, expect, it } from 'vitest';

import { addUser } from '../../renderer/db/auth';

import { addMaya } from '../../renderer/db/test-support';

import {
  DANA,
  addDana,
  adminComputer,
  pushSealedByHand,
  joinComputer,
  round,
  signInOn,
  hostileWorld,
  PAT,
  tampered,
  doseBody,
  refusals,
} from './world';

const world = hostileWorld();

/** The administrator's computer (the shared desk) and Pat's own computer. */
async function clinic() {
  const a = await adminComputer(world.server);
  world.computers.push(a);
  const pat = await addUser(a.store, PAT);
  const dana = await addDana(a);
  const patient = await addMaya(a.store);
  await round(a);
  const p = await joinComputer(a, world.server, PAT);
  world.computers.push(p);
  await round(p);
  return { a, p, pat, dana, patientId: patient.id };
}

describe('a therapist signed in at the administrator’s computer, with devtools', () => {
  it('her dose, inventory lot and own roles; the same with the writer stripped; and a dose under the prescriber’s name signed with her key: all refused on the other computer', async () => {
    const { a, p, pat, dana, patientId } = await clinic();
    await signInOn(a, DANA.username, DANA.passphrase);

    // 1. Her own name, every role: the computer's key would carry it; her signature does not.
    const escalated = tampered(a, { roles: ['prescriber', 'administrator'] });
    const dose = await escalated.create('dose', doseBody(patientId, dana.id, 400));
    const lot = await escalated.create('inventory-lot', {
      medication: 'ketamine-hcl',
      productName: 'Ketamine HCl 50 mg/mL',
      lotNumber: 'FAKE-1',
      expiry: '2027-12-31',
      concentrationMgPerMl: 50,
      unit: 'ml',
    });
    await escalated.update('user', dana.id, () => ({
      roles: ['administrator' as const, 'therapist' as const],
    }));

    // 2. The downgrade: the writer's signature removed, and the change sealed and sent naming
    //    nobody. The app's own push keeps such a change back (tests/adversary/unauthored.test.ts),
    //    so she seals it herself, with this computer's key, as devtools allow.
    const stripped = await escalated.create('dose', doseBody(patientId, dana.id, 300));
    await pushSealedByHand(a, stripped);

    // 3. A forged writer: Pat's id and name, signed with the only identity key she has.
    const forger = tampered(a, { id: pat.id, displayName: pat.displayName, roles: ['prescriber'] });
    const forged = await forger.create('dose', doseBody(patientId, pat.id, 250));

    await round(a);
    await round(p);
    for (const id of [dose.id, lot.id, stripped.id, forged.id])
      expect(await p.db.records.get(id)).toBeUndefined();
    expect((await p.store.get('user', dana.id))?.roles).toEqual(['therapist']);
    const listed = await refusals(p);
    for (const what of ['a dose record', 'an inventory lot', 'a user'])
      expect(listed).toContainEqual(
        expect.stringMatching(
          new RegExp(`^A change to ${what} was written by someone whose role does not allow`),
        ),
      );
    expect(listed).toContainEqual(
      expect.stringMatching(/^A change to a dose record came without the signature of the person/),
    );
    expect(listed).toContainEqual(
      expect.stringMatching(/^A change to a dose record was not signed with the key of the person/),
    );
  }, 240_000);

  it('a prescriber’s dose written at the shared computer arrives, even when the therapist is signed in when it is pushed', async () => {
    const { a, p, pat, patientId } = await clinic();
    const atDesk = await signInOn(a, PAT.username, PAT.passphrase);
    const dose = await atDesk.create('dose', doseBody(patientId, pat.id, 30));
    // Pat leaves; Dana signs in at the same computer, and the next sync round pushes his dose.
    await signInOn(a, DANA.username, DANA.passphrase);
    await round(a);
    await round(p);
    expect((await p.store.get('dose', dose.id))?.doseMg).toBe(30);
    expect(await refusals(p)).toEqual([]);
  }, 240_000);
});
