/**
 * The ways into and around sync that a clinic meets once: the first computer registers the
 * clinic, a second joins with a code and the user's passphrase and can sign in (also as a colleague
 * added elsewhere), and a bundle this device cannot open is set aside and reported, never applied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataKey } from '../../shared/crypto/envelope';
import { encodeBundle } from '../../shared/sync/bundle';
import { uuidv7 } from '../../shared/util/ids';
import { addUser, signIn } from '../../renderer/db/auth';
import { KatDatabase } from '../../renderer/db/database';
import { openIssues, readSyncConfig } from '../../renderer/db/sync-state';
import { addMaya, freshClinic } from '../../renderer/db/test-support';
import { connectFirstDevice, createEnrollmentCode, joinClinic } from '../../renderer/sync/connect';
import {
  loadDeviceSecrets,
  memoryKeychain,
  newDeviceKeys,
} from '../../renderer/sync/device-credentials';
import { ServerClient } from '../../renderer/sync/server-client';
import { SyncEngine } from '../../renderer/sync/sync-engine';
import { confirmJoinOn, setupTokenFor, startServer } from './harness';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

async function firstComputer() {
  const a = await freshClinic();
  const keychain = memoryKeychain();
  await connectFirstDevice(a.db, keychain, a.session, {
    serverUrl: server.url,
    setupToken: await setupTokenFor(server.url),
  });
  const secrets = (await loadDeviceSecrets(keychain))!;
  const engine = new SyncEngine({
    db: a.db,
    context: a.session,
    config: (await readSyncConfig(a.db))!,
    secrets,
  });
  return { ...a, keychain, secrets, engine };
}

describe('joining a clinic and opening what arrives', () => {
  it('a second computer joins with a code and the passphrase, then signs in with the same records', async () => {
    const a = await firstComputer();
    const patient = await addMaya(a.store);
    await addUser(a.store, {
      displayName: 'Dana Reyes',
      username: 'dana',
      roles: ['therapist'],
      passphrase: 'dana first passphrase',
    });
    await a.engine.syncOnce();

    const b = new KatDatabase(`join-${Date.now()}`);
    const { code } = await createEnrollmentCode(a.db, a.secrets.token);
    await expect(
      joinClinic(
        b,
        memoryKeychain(),
        { serverUrl: server.url, code, username: 'alex', passphrase: 'not the passphrase at all' },
        undefined,
        confirmJoinOn(a, 'alex'),
      ),
    ).rejects.toThrow(/passphrase does not open/);

    const { code: code2 } = await createEnrollmentCode(a.db, a.secrets.token);
    const b2 = new KatDatabase(`join2-${Date.now()}`);
    const clinic = await joinClinic(
      b2,
      memoryKeychain(),
      { serverUrl: server.url, code: code2, username: 'alex', passphrase: a.passphrase },
      undefined,
      confirmJoinOn(a, 'alex'),
    );
    expect(clinic.clinicName).toBe('Harbor Ketamine Clinic');
    const session = await signIn(b2, 'alex', a.passphrase);
    expect(session.clinicId).toBe(a.session.clinicId);
    expect(await b2.records.get(patient.id)).toBeDefined();
    // Dana was added on the first computer; her key came along, so she can sign in here too.
    expect((await signIn(b2, 'dana', 'dana first passphrase')).user.displayName).toBe('Dana Reyes');
    for (const db of [a.db, b, b2]) await db.delete();
  }, 60_000);

  it('sets aside a bundle it cannot decrypt, reports it, and keeps syncing', async () => {
    const a = await firstComputer();
    const other = await firstComputer();
    // A device of this clinic uploads a bundle sealed under a key this clinic does not have.
    const { code } = await createEnrollmentCode(a.db, a.secrets.token);
    const { pair, publicKey } = await newDeviceKeys();
    const creds = await new ServerClient(server.url).enroll({ code, publicKey });
    const settings = (await other.store.listKind('clinic-settings'))[0]!;
    const bad = await encodeBundle({
      clinicId: a.session.clinicId,
      deviceId: creds.deviceId,
      keyVersion: 1,
      dataKey: await generateDataKey(true),
      signingKey: pair.privateKey,
      changes: [{ changeId: uuidv7(), record: settings, hlc: settings.updatedAt }],
    });
    await new ServerClient(server.url, creds.token).push(bad.bytes);

    const report = await a.engine.syncOnce();
    expect(report.quarantined).toBe(1);
    const issues = await openIssues(a.db);
    expect(issues[0]?.kind).toBe('quarantined-bundle');
    expect(issues[0]?.message).toMatch(/could not be decrypted/);
    expect(await a.db.records.get(settings.id)).toBeUndefined();
    // Nothing wedged: the next round goes on from after the bad bundle.
    expect((await a.engine.syncOnce()).quarantined).toBe(0);
    for (const db of [a.db, other.db]) await db.delete();
  }, 60_000);
});
