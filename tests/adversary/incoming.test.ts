/**
 * Incoming records are checked like local ones (issue 13 point 4; THREATS.md principle 4), played
 * against the real server process through the adversary's proxy. Each attacker holds what
 * THREATS.md says they hold: a colleague's own computer and session with devtools (they can give
 * their local session any role or name — nothing stops them on their own machine), a removed
 * prescriber's laptop and old session, a computer the administrator revoked kept alive by a
 * hostile server. Each pushes what it made through the real sync engine; the administrator's
 * computer must refuse it, list it, and keep what was legitimately signed before.
 */
import { describe, expect, it } from 'vitest';

import { addUser } from '../../renderer/db/auth';
import { KatDatabase } from '../../renderer/db/database';
import { createEnrollmentCode, startJoin } from '../../renderer/sync/connect';
import { memoryKeychain } from '../../renderer/sync/device-credentials';
import { writeComputerName } from '../../renderer/sync/device-profile';
import { ServerClient } from '../../renderer/sync/server-client';
import { pendingDevices } from '../../renderer/trust/devices';
import { RecordStore } from '../../renderer/db/record-store';

import { readSyncConfig } from '../../renderer/db/sync-state';
import { addMaya } from '../../renderer/db/test-support';
import { removeUser } from '../../renderer/sync/clinic-keys';
import { loadDeviceSecrets } from '../../renderer/sync/device-credentials';
import { removeUserEverywhere, revokeDeviceAndRotate } from '../../renderer/sync/device-revocation';
import { keyringInputs } from '../../renderer/sync/key-refresh';
import { chainStateOf } from '../../renderer/trust/chain-store';
import { SyncEngine } from '../../renderer/sync/sync-engine';
import { currentMember } from '../../shared/trust/chain-state';

import {
  type Computer,
  DANA,
  addDana,
  adminComputer,
  clientOf,
  joinComputer,
  pushSealedByHand,
  round,
  signInOn,
  hostileWorld,
  PAT,
  tampered,
  doseBody,
  refusals,
} from './world';

const world = hostileWorld();

async function signDose(store: RecordStore, patientId: string, prescriberId: string, mg: number) {
  const draft = await store.create('dose', doseBody(patientId, prescriberId, mg));
  return store.sign('dose', draft.id);
}

/**
 * A push as an attacker makes it: the app's own sync engine, without the courtesy checks a
 * tampered client skips anyway (no key refresh, nothing held back).
 */
async function pushAsIs(c: Computer) {
  const config = (await readSyncConfig(c.db))!;
  const secrets = (await loadDeviceSecrets(c.keychain))!;
  const engine = new SyncEngine({
    db: c.db,
    context: c.store.session,
    config,
    secrets,
    ...keyringInputs(c.store.session.keyring),
  } as ConstructorParameters<typeof SyncEngine>[0]);
  return engine.syncOnce();
}

async function clinicWithPat() {
  const a = await adminComputer(world.server);
  world.computers.push(a);
  await addUser(a.store, PAT);
  const patient = await addMaya(a.store);
  await round(a);
  const p = await joinComputer(a, world.server, PAT);
  world.computers.push(p);
  await round(p);
  return { a, p, patientId: patient.id };
}

describe('a colleague beyond their role, with devtools', () => {
  it('forged signer: a dose "signed by the prescriber" that the therapist’s computer made is refused', async () => {
    const a = await adminComputer(world.server);
    world.computers.push(a);
    const pat = await addUser(a.store, PAT);
    await addDana(a);
    const patient = await addMaya(a.store);
    await round(a);
    const d = await joinComputer(a, world.server, DANA);
    world.computers.push(d);
    await round(d);
    // Dana gives her session Pat's name and role, and Pat's public key where her computer checks
    // whose keys it holds; the signature is made with the only private key she has, her own.
    const s = d.store.session;
    const patKey = currentMember((await chainStateOf(d.db))!, pat.id)!.keys.signingKey;
    const forger = new RecordStore(d.db, {
      ...s,
      user: { ...s.user, id: pat.id, displayName: pat.displayName, roles: ['prescriber'] },
      identity: { ...s.identity!, signing: { ...s.identity!.signing!, publicKey: patKey } },
    });
    const dose = await signDose(forger, patient.id, pat.id, 50);
    expect(dose.signature?.by).toBe(pat.id);
    await pushAsIs(d);

    await round(a);
    expect(await a.db.records.get(dose.id)).toBeUndefined();
    // (Since author signatures, the change naming Pat as its writer is refused first, in these
    // words; with the writer stripped it is refused as unauthored, tests/adversary/authors.test.ts.)
    expect(await refusals(a)).toContainEqual(
      expect.stringMatching(
        /dose record (said to be signed by Pat Moreno was not signed with their key|was not signed with the key of the person it names)/,
      ),
    );
  }, 120_000);

  it('role escalation: a therapist’s own signed dose and dose draft are refused by other computers', async () => {
    const a = await adminComputer(world.server);
    world.computers.push(a);
    const dana = await addDana(a);
    const patient = await addMaya(a.store);
    await round(a);
    const d = await joinComputer(a, world.server, DANA);
    world.computers.push(d);
    await round(d);
    // Her local session says prescriber; the chain says therapist.
    const escalated = tampered(d, { roles: ['prescriber'] });
    const signed = await signDose(escalated, patient.id, dana.id, 50);
    const draft = await escalated.create('dose', doseBody(patient.id, dana.id, 25));
    await pushAsIs(d);

    await round(a);
    expect(await a.db.records.get(signed.id)).toBeUndefined();
    expect(await a.db.records.get(draft.id)).toBeUndefined();
    const listed = await refusals(a);
    expect(listed).toContainEqual(
      expect.stringMatching(/whose role does not allow them to sign dose records/),
    );
    expect(listed).toContainEqual(
      // (Since deliverable 4 the computer's own member is checked first, in these words.)
      expect.stringMatching(/whose role does not allow (them to write|writing) dose records/),
    );
  }, 120_000);
});

describe('a backdated signature', () => {
  it('a dose "signed by the prescriber" with no key signature, dated before key signatures existed, is refused in a clinic created with its chain', async () => {
    const a = await adminComputer(world.server);
    world.computers.push(a);
    const pat = await addUser(a.store, PAT);
    await addDana(a);
    const patient = await addMaya(a.store);
    await round(a);
    const d = await joinComputer(a, world.server, DANA);
    world.computers.push(d);
    await round(d);
    // Dana's devtools: Pat's name, no signing key (so no key signature), a clock set back to a
    // date before signatures were bound to keys.
    const s = d.store.session;
    const backdated = new RecordStore(
      d.db,
      {
        ...s,
        user: { ...s.user, id: pat.id, displayName: pat.displayName, roles: ['prescriber'] },
        identity: s.identity && { ...s.identity, signing: undefined },
      },
      () => new Date('2025-06-02T15:00:00.000Z'),
    );
    const dose = await signDose(backdated, patient.id, pat.id, 50);
    expect(dose.signature?.sig).toBeUndefined();
    // Unsigned by any writer, so the app keeps it back (unauthored.test.ts); she seals it herself.
    await pushSealedByHand(d, dose);

    await round(a);
    expect(await a.db.records.get(dose.id)).toBeUndefined();
    expect(await refusals(a)).toContainEqual(
      expect.stringMatching(
        /said to be signed by Pat Moreno carries no signature made with their key/,
      ),
    );
  }, 120_000);
});

describe('a removed prescriber, and a revoked computer a hostile server keeps alive', () => {
  it('a removed user’s un-revoked laptop pushing signed doses: refused, the dose signed before stands', async () => {
    const { a, p, patientId } = await clinicWithPat();
    const before = await signDose(p.store, patientId, p.store.session.user.id, 50);
    await round(p);
    await round(a);
    expect(await a.db.records.get(before.id)).toBeDefined();

    // Removed in the chain only: the server still takes this laptop's pushes (it ignores the
    // administrator's computer telling it to revoke), and Pat keeps the session that was open.
    world.server.on({
      match: (method, url) => method === 'POST' && /^\/v1\/devices\/[^/]+\/revoke/.test(url),
      handle: async () => ({ status: 200, headers: {}, body: Buffer.from('{}') }),
    });
    const head = (await (await clientOf(a)).pull(0, 1)).head;
    await removeUser(a.store, p.store.session.user.id, head);
    await round(a);
    const after = await signDose(p.store, patientId, p.store.session.user.id, 75);
    await pushAsIs(p);

    await round(a);
    expect(await a.db.records.get(after.id)).toBeUndefined();
    expect(await a.db.records.get(before.id)).toBeDefined();
    expect(await refusals(a)).toContainEqual(
      expect.stringMatching(/computer that was removed from the clinic before it sent it/),
    );
  }, 180_000);

  it('a revoked computer’s bundle, served by a server that ignored the revocation, is refused', async () => {
    const { a, p, patientId } = await clinicWithPat();
    const deviceId = (await readSyncConfig(p.db))!.deviceId;
    const publicKey = (await chainStateOf(a.db))!.devices.get(deviceId)!.publicKey;
    // The server answers the revocation as done, and keeps taking the computer's pushes.
    world.server.on({
      match: (method, url) => method === 'POST' && url.startsWith(`/v1/devices/${deviceId}/revoke`),
      handle: async () => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(
          JSON.stringify({
            deviceId,
            publicKey,
            admin: false,
            enrolledAt: new Date().toISOString(),
            enrolledBy: null,
            revokedAt: new Date().toISOString(),
          }),
        ),
      }),
    });
    await revokeDeviceAndRotate(a.store, await clientOf(a), deviceId, a.keychain);
    await round(a);
    const dose = await signDose(p.store, patientId, p.store.session.user.id, 50);
    await pushAsIs(p);

    await round(a);
    expect(await a.db.records.get(dose.id)).toBeUndefined();
    expect(await refusals(a)).toContainEqual(
      expect.stringMatching(/computer that was removed from the clinic before it sent it/),
    );
  }, 180_000);

  it('removing a user everywhere: their computer can neither pull nor push from that step on', async () => {
    const { a, p, patientId } = await clinicWithPat();
    const patId = p.store.session.user.id;
    await removeUserEverywhere(a.store, patId, a.keychain);
    await round(a);

    const client = await clientOf(p);
    await expect(client.pull(0, 1)).rejects.toMatchObject({ status: 403, code: 'device-revoked' });
    const after = await signDose(p.store, patientId, patId, 75);
    await expect(pushAsIs(p)).rejects.toMatchObject({ status: 403, code: 'device-revoked' });
    await round(a);
    expect(await a.db.records.get(after.id)).toBeUndefined();
  }, 180_000);

  it('removing a user everywhere, through a server that ignores the removal: what their computer sends after is refused', async () => {
    const { a, p, patientId } = await clinicWithPat();
    const patId = p.store.session.user.id;
    // The server answers every revocation as done and keeps serving the computer.
    world.server.on({
      match: (method, url) => method === 'POST' && /^\/v1\/devices\/[^/]+\/revoke/.test(url),
      handle: async () => ({ status: 200, headers: {}, body: Buffer.from('{}') }),
    });
    await removeUserEverywhere(a.store, patId, a.keychain);
    await round(a);
    const after = await signDose(p.store, patientId, patId, 75);
    await pushAsIs(p);

    await round(a);
    expect(await a.db.records.get(after.id)).toBeUndefined();
    expect(await refusals(a)).toContainEqual(
      expect.stringMatching(/computer that was removed from the clinic before it sent it/),
    );
  }, 180_000);

  it('removing a user everywhere also revokes a computer that joined for them and was never confirmed', async () => {
    const a = await adminComputer(world.server);
    world.computers.push(a);
    const pat = await addUser(a.store, PAT);
    await round(a);
    // Pat's laptop uses an enrollment code and waits at the comparison; nobody confirms it.
    const laptop = new KatDatabase(`pending-${Date.now()}`);
    const keychain = memoryKeychain();
    world.computers.push({ name: 'pending', db: laptop, store: undefined as never, keychain });
    const token = (await loadDeviceSecrets(a.keychain))!.token;
    const { code } = await createEnrollmentCode(a.db, token);
    await writeComputerName(laptop, 'Pat’s laptop');
    await startJoin(laptop, keychain, { serverUrl: world.server.url, code, username: 'pat' });
    const waiting = await pendingDevices(a.store, await clientOf(a));
    expect(waiting.map((d) => [d.name, d.username])).toEqual([['Pat’s laptop', 'pat']]);

    await removeUserEverywhere(a.store, pat.id, a.keychain);

    const secrets = (await loadDeviceSecrets(keychain))!;
    const stolen = new ServerClient(world.server.url, secrets.token);
    await expect(stolen.pull(0, 1)).rejects.toMatchObject({ status: 403, code: 'device-revoked' });
    expect(await pendingDevices(a.store, await clientOf(a))).toEqual([]);
  }, 180_000);

  it('removing a user everywhere while the server drops the revocation of a computer that joined for them and was never confirmed: the administrator’s next sync round revokes it', async () => {
    const a = await adminComputer(world.server);
    world.computers.push(a);
    const pat = await addUser(a.store, PAT);
    await round(a);
    const laptop = new KatDatabase(`pending-${Date.now()}`);
    const keychain = memoryKeychain();
    world.computers.push({ name: 'pending', db: laptop, store: undefined as never, keychain });
    const token = (await loadDeviceSecrets(a.keychain))!.token;
    const { code } = await createEnrollmentCode(a.db, token);
    await writeComputerName(laptop, 'Pat’s laptop');
    await startJoin(laptop, keychain, { serverUrl: world.server.url, code, username: 'pat' });
    // The server fails the revocation request once (a network blip, a restart).
    world.server.on({
      match: (method, url) => method === 'POST' && /^\/v1\/devices\/[^/]+\/revoke/.test(url),
      handle: async () => ({ status: 503, headers: {}, body: Buffer.from('') }),
      times: 1,
    });
    await removeUserEverywhere(a.store, pat.id, a.keychain);
    const stolen = new ServerClient(world.server.url, (await loadDeviceSecrets(keychain))!.token);
    await stolen.pull(0, 1); // still served: the call failed

    await round(a);
    await expect(stolen.pull(0, 1)).rejects.toMatchObject({ status: 403, code: 'device-revoked' });
    expect(await pendingDevices(a.store, await clientOf(a))).toEqual([]);
  }, 180_000);

  it('removing a user everywhere while the server drops the revocation call: the administrator’s next sync round revokes their computer', async () => {
    const { a, p } = await clinicWithPat();
    const patId = p.store.session.user.id;
    // The server fails the first revocation request (a network blip, a restart).
    world.server.on({
      match: (method, url) => method === 'POST' && /^\/v1\/devices\/[^/]+\/revoke/.test(url),
      handle: async () => ({ status: 503, headers: {}, body: Buffer.from('') }),
      times: 1,
    });
    await removeUserEverywhere(a.store, patId, a.keychain);
    await round(a);

    await expect((await clientOf(p)).pull(0, 1)).rejects.toMatchObject({
      status: 403,
      code: 'device-revoked',
    });
  }, 180_000);
});

describe('a computer carries only what its member’s role may write (issue 13 deliverable 4)', () => {
  it('a therapist’s computer sending a dose draft, an inventory lot, a user’s roles and the clinic’s dosing settings, each under the prescriber’s or administrator’s name: all refused and listed on the administrator’s computer; the prescriber’s own dose still arrives', async () => {
    const { a, p, patientId } = await clinicWithPat();
    const pat = p.store.session.user;
    await addDana(a);
    const [settings] = await a.store.listKind('clinic-settings');
    expect(settings).toBeDefined();
    await round(a);
    const d = await joinComputer(a, world.server, DANA);
    world.computers.push(d);
    await round(d);
    // Dana's devtools on her own computer: Pat's id and name, every role. Nothing she makes is
    // signed (her identity key is her own, and the forged-signer test covers signatures): only
    // drafts and kinds that are never signed.
    const forger = tampered(d, {
      id: pat.id,
      displayName: pat.displayName,
      roles: ['prescriber', 'administrator'],
    });
    const dose = await forger.create('dose', doseBody(patientId, pat.id, 400));
    const lot = await forger.create('inventory-lot', {
      medication: 'ketamine-hcl',
      productName: 'Ketamine HCl 50 mg/mL',
      lotNumber: 'FAKE-1',
      expiry: '2027-12-31',
      concentrationMgPerMl: 50,
      unit: 'ml',
    });
    await forger.update('user', d.store.session.user.id, () => ({
      roles: ['administrator' as const, 'prescriber' as const],
    }));
    await forger.update('clinic-settings', settings!.id, () => ({ ivMaxMgPerKg: 3 }));
    await pushAsIs(d);
    // Pat, on his own computer, records and signs a dose the usual way.
    const legit = await signDose(p.store, patientId, pat.id, 35);
    const draft = await p.store.create('dose', doseBody(patientId, pat.id, 20));
    await round(p);

    await round(a);
    expect(await a.db.records.get(dose.id)).toBeUndefined();
    expect(await a.db.records.get(lot.id)).toBeUndefined();
    expect((await a.store.get('clinic-settings', settings!.id))?.ivMaxMgPerKg).toBe(1);
    expect((await a.store.get('user', d.store.session.user.id))?.roles).toEqual(['therapist']);
    const listed = await refusals(a);
    for (const what of ['dose record', 'inventory lot', 'user', 'clinic settings'])
      expect(listed).toContainEqual(
        expect.stringMatching(
          // (Since author signatures: the change names Pat or Alex as its writer, signed with
          // Dana's key, and is refused for that before the computer's role is asked.)
          new RegExp(`^A change to an? ${what} was not signed with the key of the person it names`),
        ),
      );
    expect((await a.store.get('dose', legit.id))?.status).toBe('signed');
    expect((await a.store.get('dose', draft.id))?.doseMg).toBe(20);

    // A computer colleagues share is confirmed for an administrator: Pat, signed in at the
    // administrator's desk, records a dose there, and it reaches his own computer.
    const shared = await signInOn(a, PAT.username, PAT.passphrase);
    const atDesk = await shared.create('dose', doseBody(patientId, pat.id, 30));
    await round(a);
    await round(p);
    expect((await p.store.get('dose', atDesk.id))?.doseMg).toBe(30);
    // (Pat's computer refused Dana's forgeries too; nothing else.)
    expect(
      (await refusals(p)).filter((m) => !/not signed with the key of the person it names/.test(m)),
    ).toEqual([]);
  }, 240_000);
});
