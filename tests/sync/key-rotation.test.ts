/**
 * Key versions across computers, through a real server: a rotation on one computer reaches the
 * other (its keyring opens the new version without signing in again), bundles sealed under the
 * new version are read there, old ones stay readable, a bundle that arrived before its version
 * was open is pulled again once it is, and the person who left finds nothing they can open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackBundle } from '../../shared/sync/bundle';
import { fromBase64 } from '../../shared/util/bytes';
import { addUser, signIn } from '../../renderer/db/auth';
import { KatDatabase } from '../../renderer/db/database';
import { RecordStore } from '../../renderer/db/record-store';
import type { Session } from '../../renderer/db/session';
import { listHeld } from '../../renderer/db/sync-held';
import { openIssues, readSyncConfig } from '../../renderer/db/sync-state';
import { freshClinic } from '../../renderer/db/test-support';
import { removeUser } from '../../renderer/sync/clinic-keys';
import { connectFirstDevice, createEnrollmentCode, joinClinic } from '../../renderer/sync/connect';
import { loadDeviceSecrets, memoryKeychain } from '../../renderer/sync/device-credentials';
import { memberBlobName } from '../../renderer/sync/key-blobs';
import { keyringInputs, refreshKeys } from '../../renderer/sync/key-refresh';
import { ServerClient } from '../../renderer/sync/server-client';
import { SyncEngine } from '../../renderer/sync/sync-engine';
import { createRecoveryKey, recoverWithKey } from '../../renderer/sync/recovery';
import { revokeDeviceAndRotate } from '../../renderer/sync/device-revocation';
import { confirmJoinOn, setupTokenFor, startServer } from './harness';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

const patient = (lastName: string) =>
  ({
    firstName: 'Maya',
    lastName,
    dateOfBirth: '1987-04-12',
    sexAtBirth: 'female',
    active: true,
  }) as const;

type Computer = {
  db: KatDatabase;
  store: RecordStore;
  keychain: ReturnType<typeof memoryKeychain>;
};

/** One round the way the app runs it: key blobs first, then the engine with the keyring. */
async function round(c: Computer) {
  const secrets = (await loadDeviceSecrets(c.keychain))!;
  const config = (await readSyncConfig(c.db))!;
  await refreshKeys(c.store, new ServerClient(config.serverUrl, secrets.token));
  const engine = new SyncEngine({
    db: c.db,
    context: c.store.session,
    config,
    secrets,
    ...keyringInputs(c.store.session.keyring),
  });
  return engine.syncOnce();
}

const use = (c: Omit<Computer, 'store'>, session: Session): Computer => ({
  ...c,
  store: new RecordStore(c.db, session),
});

describe('clinic key rotation across computers', () => {
  it('a rotation reaches the other computer; new bundles use it; the leaver opens nothing new', async () => {
    const a0 = await freshClinic();
    const aKeys = memoryKeychain();
    await connectFirstDevice(a0.db, aKeys, a0.session, {
      serverUrl: server.url,
      setupToken: await setupTokenFor(server.url),
    });
    const a: Computer = { db: a0.db, store: a0.store, keychain: aKeys };
    await addUser(a.store, {
      displayName: 'Dana Reyes',
      username: 'dana',
      roles: ['therapist'],
      passphrase: 'dana first passphrase',
    });
    await addUser(a.store, {
      displayName: 'Sam Lee',
      username: 'sam',
      roles: ['therapist'],
      passphrase: 'sam first passphrase',
    });
    const before = await a.store.create('patient', patient('Before'));
    const printed = await createRecoveryKey(a.store);
    await round(a);

    const bDb = new KatDatabase(`rot-b-${Date.now()}`);
    const bKeys = memoryKeychain();
    const secrets = (await loadDeviceSecrets(aKeys))!;
    const { code } = await createEnrollmentCode(a.db, secrets.token);
    await joinClinic(
      bDb,
      bKeys,
      { serverUrl: server.url, code, username: 'dana', passphrase: 'dana first passphrase' },
      undefined,
      confirmJoinOn(a, 'dana'),
    );
    const b = use({ db: bDb, keychain: bKeys }, await signIn(bDb, 'dana', 'dana first passphrase'));
    expect(b.store.session.keyring!.activeVersion).toBe(1);

    // Sam leaves: version 2 on A, sealed to Dana's and the recovery key's public keys only.
    const sam = (await a.store.listKind('user')).find((u) => u.username === 'sam')!;
    expect((await removeUser(a.store, sam.id)).version).toBe(2);
    const after = await a.store.create('patient', patient('After'));
    await round(a);

    // Every bundle A sent since the rotation is sealed under version 2.
    const pulled = await new ServerClient(server.url, secrets.token).pull(0);
    const versions = pulled.bundles.map((x) => unpackBundle(fromBase64(x.bytes)).header.keyVersion);
    expect(versions[0]).toBe(1);
    expect(versions.at(-1)).toBe(2);

    // B opens version 2 in its running session, then reads old and new records.
    await round(b);
    expect(b.store.session.keyring!.activeVersion).toBe(2);
    expect(await b.store.get('patient', before.id)).toBeDefined();
    expect((await b.store.get('patient', after.id))?.lastName).toBe('After');
    expect(await openIssues(b.db)).toEqual([]);
    // Sam's row and blob are gone; his name no longer signs in anywhere.
    expect(await b.db.keyring.get(sam.id)).toBeUndefined();
    await expect(signIn(b.db, 'sam', 'sam first passphrase')).rejects.toThrow(/do not match/);

    // The recovery key printed before the rotation still opens everything (it received v2).
    const recovered = await recoverWithKey(b.db, {
      username: 'dana',
      recoveryKey: printed,
      newPassphrase: 'dana second passphrase',
    });
    expect(recovered.keyring!.activeVersion).toBe(2);
    for (const db of [a.db, b.db]) await db.delete();
  }, 120_000);

  it('a bundle pulled before its version was open is held, then applied once it opens', async () => {
    const a0 = await freshClinic();
    const aKeys = memoryKeychain();
    await connectFirstDevice(a0.db, aKeys, a0.session, {
      serverUrl: server.url,
      setupToken: await setupTokenFor(server.url),
    });
    const a: Computer = { db: a0.db, store: a0.store, keychain: aKeys };
    await round(a);
    const bDb = new KatDatabase(`rot-q-${Date.now()}`);
    const bKeys = memoryKeychain();
    const { code } = await createEnrollmentCode(a.db, (await loadDeviceSecrets(aKeys))!.token);
    await joinClinic(
      bDb,
      bKeys,
      { serverUrl: server.url, code, username: 'alex', passphrase: a0.passphrase },
      undefined,
      confirmJoinOn(a, 'alex'),
    );
    const b = use({ db: bDb, keychain: bKeys }, await signIn(bDb, 'alex', a0.passphrase));

    const { rotateClinicKey } = await import('../../renderer/sync/clinic-keys');
    await rotateClinicKey(a.store, 'manual');
    const created = await a.store.create('patient', patient('Sealed-v2'));
    // A pushes its bundles but (as if interrupted) not yet its key blobs.
    const secrets = (await loadDeviceSecrets(aKeys))!;
    await new SyncEngine({
      db: a.db,
      context: a.store.session,
      config: (await readSyncConfig(a.db))!,
      secrets,
      ...keyringInputs(a.store.session.keyring),
    }).syncOnce();
    // B's engine alone (no key refresh): the bundle waits, held below the cursor, not applied.
    const bSecrets = (await loadDeviceSecrets(bKeys))!;
    await new SyncEngine({
      db: b.db,
      context: b.store.session,
      config: (await readSyncConfig(b.db))!,
      secrets: bSecrets,
      ...keyringInputs(b.store.session.keyring),
    }).syncOnce();
    expect((await listHeld(b.db)).map((h) => h.whole?.reason)).toEqual(['unknown-key-version']);
    expect(await openIssues(b.db)).toEqual([]); // not quarantined: it can still become readable
    expect(await b.store.get('patient', created.id)).toBeUndefined();

    // A's next round uploads the grants; B's next round opens v2 and applies the held bundle.
    await round(a);
    await round(b);
    expect((await b.store.get('patient', created.id))?.lastName).toBe('Sealed-v2');
    expect(await listHeld(b.db)).toEqual([]);
    expect(await openIssues(b.db)).toEqual([]);
    for (const db of [a.db, b.db]) await db.delete();
  }, 120_000);
});

describe('removing a computer', () => {
  it('the server refuses it at once and a new key version is active for everything sealed after', async () => {
    const a0 = await freshClinic();
    const aKeys = memoryKeychain();
    await connectFirstDevice(a0.db, aKeys, a0.session, {
      serverUrl: server.url,
      setupToken: await setupTokenFor(server.url),
    });
    const a: Computer = { db: a0.db, store: a0.store, keychain: aKeys };
    await round(a);
    const bDb = new KatDatabase(`rev-b-${Date.now()}`);
    const bKeys = memoryKeychain();
    const aToken = (await loadDeviceSecrets(aKeys))!.token;
    const { code } = await createEnrollmentCode(a.db, aToken);
    await joinClinic(
      bDb,
      bKeys,
      { serverUrl: server.url, code, username: 'alex', passphrase: a0.passphrase },
      undefined,
      confirmJoinOn(a, 'alex'),
    );
    const b = use({ db: bDb, keychain: bKeys }, await signIn(bDb, 'alex', a0.passphrase));
    const bDevice = (await readSyncConfig(b.db))!.deviceId;

    const r = await revokeDeviceAndRotate(
      a.store,
      new ServerClient(server.url, aToken),
      bDevice,
      aKeys,
    );
    expect(r.version).toBe(2);
    expect(a.store.session.keyring!.activeVersion).toBe(2);
    await expect(round(b)).rejects.toThrow(/This computer was removed from the clinic/);
    const created = await a.store.create('patient', patient('After-revoke'));
    await round(a);
    const page = await new ServerClient(server.url, aToken).pull(0);
    const last = page.bundles.at(-1)!;
    expect(unpackBundle(fromBase64(last.bytes)).header.keyVersion).toBe(2);
    // What B held (version 1 only) cannot open what was sealed after.
    expect(b.store.session.keyring!.has(2)).toBe(false);
    expect(await b.store.get('patient', created.id)).toBeUndefined();
    for (const db of [a.db, b.db]) await db.delete();
  }, 120_000);
});

describe('people who left, seen from an ordinary computer', () => {
  it('an administrator signed in on a non-administrator computer syncs on; an admin computer drops the blob', async () => {
    const a0 = await freshClinic();
    const aKeys = memoryKeychain();
    await connectFirstDevice(a0.db, aKeys, a0.session, {
      serverUrl: server.url,
      setupToken: await setupTokenFor(server.url),
    });
    const a: Computer = { db: a0.db, store: a0.store, keychain: aKeys };
    const sam = await addUser(a.store, {
      displayName: 'Sam Lee',
      username: 'sam',
      roles: ['therapist'],
      passphrase: 'sam first passphrase',
    });
    await round(a);
    const bDb = new KatDatabase(`left-b-${Date.now()}`);
    const bKeys = memoryKeychain();
    const aToken = (await loadDeviceSecrets(aKeys))!.token;
    const { code } = await createEnrollmentCode(a.db, aToken); // an ordinary (non-admin) computer
    await joinClinic(
      bDb,
      bKeys,
      { serverUrl: server.url, code, username: 'alex', passphrase: a0.passphrase },
      undefined,
      confirmJoinOn(a, 'alex'),
    );
    const b = use({ db: bDb, keychain: bKeys }, await signIn(bDb, 'alex', a0.passphrase));
    expect(await b.db.keyring.get(sam.id)).toBeDefined();

    // Removed on B: B may not delete blobs, but its rounds go on; A's round deletes the blob.
    await removeUser(b.store, sam.id);
    await round(b);
    await round(b);
    const names = async () =>
      (await new ServerClient(server.url, aToken).listKeyBlobs()).blobs.map((x) => x.userKey);
    const samBlob = memberBlobName(sam.id);
    expect(await names()).toContain(samBlob);
    await round(a); // pulls Sam's removal (and drops his row here)
    await round(a); // the next round removes his blob
    expect(await names()).not.toContain(samBlob);
    expect(await a.db.keyring.get(sam.id)).toBeUndefined();
    expect(a.store.session.keyring!.activeVersion).toBe(2);
    for (const db of [a.db, b.db]) await db.delete();
  }, 120_000);
});
