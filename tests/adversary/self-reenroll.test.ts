/**
 * The clinic's only administrator reconnects their own computer after its keychain lost the sync
 * credentials (issue 14; renderer/sync/README.md, "Re-enrollment"): no other administrator is left
 * to make a code, so the administrator, signed in there, signs the request with their identity
 * key. Played against the real server process through the adversary's proxy. What must hold
 * (THREATS.md): a stolen token, a colleague beyond their role, a forger or a replayer enrolls no
 * computer and revokes none; the real administrator's computer is back, its old key revoked in
 * the chain every computer verifies.
 */
import { describe, expect, it } from 'vitest';
import { signBytes } from '../../shared/sync/device-keys';
import { selfReenrollBytes } from '../../shared/trust/self-reenroll';
import { toBase64 } from '../../shared/util/bytes';
import type { Session } from '../../renderer/db/session';
import { readSyncConfig } from '../../renderer/db/sync-state';
import { memoryKeychain, newDeviceKeys } from '../../renderer/sync/device-credentials';
import { reenrollAsAdministrator } from '../../renderer/sync/reenroll';
import { loadTrust } from '../../renderer/trust/chain-store';

import {
  type Computer,
  DANA,
  addDana,
  adminComputer,
  clientOf,
  joinComputer,
  round,
  hostileWorld,
} from './world';

const world = hostileWorld();

/** A clinic of two: alex (the only administrator) on A, dana (therapist) on B. */
async function clinicOfTwo() {
  const a = await adminComputer(world.server);
  await addDana(a);
  await round(a);
  const b = await joinComputer(a, world.server, DANA);
  world.computers.push(a, b);
  await round(b);
  await round(a);
  return { a, b };
}

/** A request as the client builds it, signed with `signingKey`, posted straight to the server. */
async function post(
  fields: { clinicId: string; userId: string; replaces: string; at?: string; publicKey?: string },
  signingKey: CryptoKey,
) {
  const f = {
    ...fields,
    publicKey: fields.publicKey ?? (await newDeviceKeys()).publicKey,
    at: fields.at ?? new Date().toISOString(),
  };
  const sig = toBase64(await signBytes(signingKey, selfReenrollBytes(f)));
  return postRaw(JSON.stringify({ ...f, sig }));
}

async function postRaw(body: string) {
  const res = await fetch(`${world.server.serverUrl}/v1/devices/reenroll-self`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, code: ((await res.json()) as { code?: string }).code };
}

const identityKey = (s: Session) => s.identity!.signing!.privateKey;

async function serverDevices(c: Computer) {
  return (await (await clientOf(c)).devices()).devices;
}

/** Which devices the server lists and whether each is revoked. */
const membership = async (c: Computer) =>
  (await serverDevices(c)).map((d) => [d.deviceId, d.publicKey, !!d.revokedAt]);

describe('the only administrator reconnects their computer without a code', () => {
  it('with their identity key: a new device, the old one revoked on the server and in the chain, nothing lost', async () => {
    const { a, b } = await clinicOfTwo();
    const old = (await readSyncConfig(a.db))!.deviceId;
    // Charted while the keychain was unreadable: never uploaded.
    const ruth = await a.store.create('patient', {
      firstName: 'Ruth',
      lastName: 'Adeyemi',
      dateOfBirth: '1979-02-03',
      sexAtBirth: 'female',
      active: true,
    });
    let request: Buffer | undefined;
    world.server.on({
      match: (m, url) => m === 'POST' && url.startsWith('/v1/devices/reenroll-self'),
      handle: async (x) => {
        request = x.body;
        return x.forward();
      },
    });
    // The chain append is lost once (a network failure after the server enrolled the key).
    world.server.on({
      match: (m, url) => m === 'POST' && url.startsWith('/v1/chain'),
      handle: async () => ({ status: 503, headers: {}, body: Buffer.from('') }),
      times: 1,
    });
    a.keychain = memoryKeychain(); // lost
    await expect(reenrollAsAdministrator(a.store, a.keychain)).rejects.toThrow();

    // Replayed by whoever saw it (before or after): the key it enrolls is a device already.
    expect(await postRaw(request!.toString())).toEqual({ status: 403, code: 'reenroll-used' });

    // The computer finishes what it began: the chain enrolls its key and revokes the old one.
    const done = await reenrollAsAdministrator(a.store, a.keychain);
    expect(done.replaced).toBe(old);
    const listed = await serverDevices(a);
    expect(listed.find((d) => d.deviceId === old)?.revokedAt).toBeTruthy();
    expect(listed.filter((d) => !d.revokedAt).map((d) => d.deviceId)).toContain(done.deviceId);
    expect(listed).toHaveLength(3); // A's old and new, B: the replay enrolled nothing

    await round(a);
    await round(b);
    expect((await b.store.get('patient', ruth.id))?.firstName).toBe('Ruth');
    const chainOnB = (await loadTrust(b.db)).state!;
    expect(chainOnB.devices.get(old)?.revoked).toBeTruthy();
    expect(chainOnB.devices.get(done.deviceId)?.revoked).toBeFalsy();
    // A's new device makes enrollment codes again (an administrator device).
    await expect((await clientOf(a)).createEnrollmentCode(false)).resolves.toBeTruthy();
    // The same request replayed now: refused, the computer it names is revoked.
    expect((await postRaw(request!.toString())).status).toBe(403);
  }, 120_000);

  it('refuses a colleague, a forger, a stale request and another person’s computer, and changes nothing', async () => {
    const { a, b } = await clinicOfTwo();
    const clinicId = a.store.session.clinicId;
    const alex = a.store.session.user.id;
    const dana = b.store.session.user.id;
    const aDevice = (await readSyncConfig(a.db))!.deviceId;
    const bDevice = (await readSyncConfig(b.db))!.deviceId;
    const before = await membership(a);

    // Dana (therapist), signed in on her own computer, with her own identity key.
    await expect(reenrollAsAdministrator(b.store, memoryKeychain())).rejects.toThrow(
      /Only an administrator/,
    );
    expect(
      await post({ clinicId, userId: dana, replaces: bDevice }, identityKey(b.store.session)),
    ).toEqual({ status: 403, code: 'reenroll-not-admin' });
    // Dana claiming to be alex: her key is not his.
    expect(
      await post({ clinicId, userId: alex, replaces: aDevice }, identityKey(b.store.session)),
    ).toEqual({ status: 403, code: 'reenroll-signature' });
    // A forger with a key of their own (a stolen device token signs nothing with alex's key).
    const forged = (await newDeviceKeys()).pair.privateKey;
    expect(await post({ clinicId, userId: alex, replaces: aDevice }, forged)).toEqual({
      status: 403,
      code: 'reenroll-signature',
    });
    // Alex's own signature, but old (a request kept for later).
    const stale = new Date(Date.now() - 10 * 60_000).toISOString();
    expect(
      await post(
        { clinicId, userId: alex, replaces: aDevice, at: stale },
        identityKey(a.store.session),
      ),
    ).toEqual({ status: 403, code: 'reenroll-stale' });
    // Alex's signature, naming Dana's computer: this path swaps only the signer's own computer.
    expect(
      await post({ clinicId, userId: alex, replaces: bDevice }, identityKey(a.store.session)),
    ).toEqual({ status: 403, code: 'reenroll-computer' });

    // Nothing enrolled, nothing revoked; both computers still sync.
    expect(await membership(a)).toEqual(before);
    await round(a);
    await round(b);
  }, 120_000);
});
