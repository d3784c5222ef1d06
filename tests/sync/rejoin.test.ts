/**
 * A computer an administrator can recognise, removes, and takes back (issue 19 point 7), through
 * a real server: the list shows the name the computer was given, who signed in and its version
 * (sealed under the clinic key); a removed computer is told when, in the app's words; "Join again"
 * with a new code keeps what it charted meanwhile and sends it once an administrator confirms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../renderer/db/auth';
import { KatDatabase } from '../../renderer/db/database';
import { RecordStore } from '../../renderer/db/record-store';
import type { Session } from '../../renderer/db/session';
import { readSyncConfig } from '../../renderer/db/sync-state';
import { freshClinic } from '../../renderer/db/test-support';
import {
  connectFirstDevice,
  createEnrollmentCode,
  joinClinic,
  joinConfirmed,
} from '../../renderer/sync/connect';
import { loadDeviceSecrets, memoryKeychain } from '../../renderer/sync/device-credentials';
import {
  openDeviceProfile,
  shareDeviceProfile,
  writeComputerName,
} from '../../renderer/sync/device-profile';
import { revokeDeviceAndRotate } from '../../renderer/sync/device-revocation';
import { keyringInputs, refreshKeys } from '../../renderer/sync/key-refresh';
import { rejoinClinic } from '../../renderer/sync/rejoin';
import { ServerClient, SyncHttpError } from '../../renderer/sync/server-client';
import { SyncEngine } from '../../renderer/sync/sync-engine';
import { confirmJoinOn, setupTokenFor, startServer } from './harness';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

type Computer = {
  db: KatDatabase;
  store: RecordStore;
  keychain: ReturnType<typeof memoryKeychain>;
};

async function clientOf(c: Omit<Computer, 'store'>) {
  const secrets = (await loadDeviceSecrets(c.keychain))!;
  return new ServerClient((await readSyncConfig(c.db))!.serverUrl, secrets.token);
}

/** One round as sync-runtime.ts runs it: keys, the engine, then the profile when it changed. */
async function round(c: Computer) {
  const secrets = (await loadDeviceSecrets(c.keychain))!;
  const config = (await readSyncConfig(c.db))!;
  const client = new ServerClient(config.serverUrl, secrets.token);
  await refreshKeys(c.store, client);
  await new SyncEngine({
    db: c.db,
    context: c.store.session,
    config,
    secrets,
    ...keyringInputs(c.store.session.keyring),
  }).syncOnce();
  const { session } = c.store;
  await shareDeviceProfile(c.db, (b) => client.putDeviceProfile(b), {
    clinicId: config.clinicId,
    deviceId: config.deviceId,
    key: session.dataKey,
    keyVersion: session.keyVersion,
    user: session.user.displayName,
    appVersion: '1.2.3',
    fallbackName: 'Chrome on Linux',
  });
}

const use = (c: Omit<Computer, 'store'>, session: Session): Computer => ({
  ...c,
  store: new RecordStore(c.db, session),
});

/** What the administrator's list shows: names opened with the keys they hold. */
async function listed(admin: Computer) {
  const { session } = admin.store;
  const clinicId = (await readSyncConfig(admin.db))!.clinicId;
  const { devices } = await (await clientOf(admin)).devices();
  return Promise.all(
    devices.map(async (d) => ({
      deviceId: d.deviceId,
      revoked: !!d.revokedAt,
      lastSyncAt: d.lastSyncAt,
      profile: await openDeviceProfile(
        (v) => session.keyring?.keyFor(v),
        clinicId,
        d.deviceId,
        d.profile,
      ),
    })),
  );
}

const patient = (lastName: string) =>
  ({
    firstName: 'Maya',
    lastName,
    dateOfBirth: '1987-04-12',
    sexAtBirth: 'female',
    active: true,
  }) as const;

describe('computers an administrator can recognise', () => {
  it('named, removed, told so, joined again: nothing charted meanwhile is lost', async () => {
    const a0 = await freshClinic();
    const aKeys = memoryKeychain();
    await writeComputerName(a0.db, 'Front desk');
    await connectFirstDevice(a0.db, aKeys, a0.session, {
      serverUrl: server.url,
      setupToken: await setupTokenFor(server.url),
    });
    const a: Computer = { db: a0.db, store: a0.store, keychain: aKeys };
    await round(a);

    const bDb = new KatDatabase(`rejoin-b-${Date.now()}`);
    const bKeys = memoryKeychain();
    await writeComputerName(bDb, 'Dr Lee’s laptop');
    const first = await createEnrollmentCode(a.db, (await loadDeviceSecrets(aKeys))!.token);
    await joinClinic(
      bDb,
      bKeys,
      { serverUrl: server.url, code: first.code, username: 'alex', passphrase: a0.passphrase },
      undefined,
      confirmJoinOn(a, 'alex'),
    );
    const b = use({ db: bDb, keychain: bKeys }, await signIn(bDb, 'alex', a0.passphrase));
    await round(b);
    const oldB = (await readSyncConfig(b.db))!.deviceId;

    // The administrator tells the laptop from the desk by name, person and version.
    const before = await listed(a);
    expect(before.map((d) => d.profile?.name).sort()).toEqual(['Dr Lee’s laptop', 'Front desk']);
    const laptop = before.find((d) => d.deviceId === oldB)!;
    expect(laptop.profile).toMatchObject({
      user: a0.session.user.displayName,
      appVersion: '1.2.3',
    });
    expect(laptop.lastSyncAt).toBeTruthy();

    // It is removed; meanwhile someone charts on it.
    await revokeDeviceAndRotate(a.store, await clientOf(a), oldB, aKeys);
    const charted = await b.store.create('patient', patient('Charted-while-removed'));
    const refused = await round(b).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SyncHttpError);
    expect(refused).toMatchObject({ code: 'device-revoked', revokedAt: expect.any(String) });
    expect((refused as Error).message).toMatch(/^This computer was removed/);

    // A code of another clinic is refused and changes nothing.
    const other = await freshClinic();
    const otherKeys = memoryKeychain();
    await connectFirstDevice(other.db, otherKeys, other.session, {
      serverUrl: server.url,
      setupToken: await setupTokenFor(server.url),
    });
    const foreign = await createEnrollmentCode(
      other.db,
      (await loadDeviceSecrets(otherKeys))!.token,
    );
    await expect(
      rejoinClinic(b.db, bKeys, { serverUrl: server.url, code: foreign.code }),
    ).rejects.toThrow(/belongs to another clinic/);
    expect((await readSyncConfig(b.db))!.deviceId).toBe(oldB);

    // Join again with a new code: nothing goes until the administrator confirms the digits.
    const again = await createEnrollmentCode(a.db, (await loadDeviceSecrets(aKeys))!.token);
    const pending = await rejoinClinic(b.db, bKeys, { serverUrl: server.url, code: again.code });
    expect(pending.deviceId).not.toBe(oldB);
    expect(await joinConfirmed(b.db, bKeys)).toBe(false);
    await confirmJoinOn(a, 'alex')(pending);
    expect(await joinConfirmed(b.db, bKeys)).toBe(true);
    await b.db.meta.delete('join-pending');

    await round(b);
    await round(a);
    expect((await a.store.get('patient', charted.id))?.lastName).toBe('Charted-while-removed');
    // It opens what was sealed after its removal too (the new key version reached its person).
    const after = await a.store.create('patient', patient('After-rejoin'));
    await round(a);
    await round(b);
    expect((await b.store.get('patient', after.id))?.lastName).toBe('After-rejoin');

    const now = await listed(a);
    expect(now.find((d) => d.deviceId === oldB)).toMatchObject({ revoked: true });
    expect(now.find((d) => d.deviceId === pending.deviceId)).toMatchObject({
      revoked: false,
      profile: { name: 'Dr Lee’s laptop' },
    });
    for (const db of [a.db, b.db, other.db]) await db.delete();
  }, 120_000);
});
