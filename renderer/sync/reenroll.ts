/**
 * Connecting an existing computer again (issue 14 point 4; issue 19 "Join again"): a computer that
 * already has its clinic and records but can no longer sync — its device token unreadable in the
 * keychain, a backup restored onto a replacement computer, or removed by an administrator — joins
 * its own clinic again with a new enrollment code. One set of steps for all three
 * (Settings → Clinic server, renderer/features/sync/RejoinCard.tsx):
 *
 * 1. A new device key pair enrolls with the code, naming the device it replaces: the server
 *    refuses the old one from then on (a removed one already is).
 * 2. The server's clinic must be this computer's (same clinic id, same membership-chain root),
 *    else nothing local changes.
 * 3. The credentials go to the keychain; the sync settings take the new device id; the upload in
 *    flight under the old key is dropped (its outbox rows were never deleted); the position gets
 *    an epoch no server has, so the first round re-offers every record held (what the old device
 *    sent may not all have arrived, and a revoked device's later bundles are refused everywhere;
 *    version vectors make the re-pull and any duplicate a no-op).
 * 4. Like a joining computer it waits (`join-pending`, connect.ts) until an administrator compares
 *    the fingerprint and confirms it; sync-runtime.ts sends nothing meanwhile. Confirming revokes
 *    the replaced device in the membership chain in the same append (renderer/trust/devices.ts).
 *
 * The computer keeps its clinic, records, drafts and outbox throughout.
 */
import { RuleError } from '../../shared/rules/errors';
import { joinFingerprint } from '../../shared/trust/fingerprint';
import { verifyChain } from '../../shared/trust/verify';
import type { KatDatabase } from '../db/database';
import {
  readSyncConfig,
  readSyncStatus,
  writePosition,
  writeSyncConfig,
  writeSyncStatus,
} from '../db/sync-state';
import { loadTrust } from '../trust/chain-store';
import { useKeychainFor } from '../trust/chain-client';
import type { JoinPending } from './connect';
import {
  type Keychain,
  loadDeviceSecrets,
  newDeviceKeys,
  saveDeviceSecrets,
} from './device-credentials';
import { type Fetch, ServerClient, normalizeServerUrl } from './server-client';
import type { DeviceCredentials } from '../../shared/sync/protocol';
import { selfReenrollBytes } from '../../shared/trust/self-reenroll';
import { signBytes } from '../../shared/sync/device-keys';
import { toBase64 } from '../../shared/util/bytes';
import type { RecordStore } from '../db/record-store';
import { confirmDevice } from '../trust/devices';
import { signerOf } from '../trust/signer';

export type ReenrollInput = { code: string; serverUrl?: string };

export type Reenrolled = JoinPending & {
  /** The device id this computer had before (revoked on the server). */
  replaced?: string;
};

export async function reenrollComputer(
  db: KatDatabase,
  keychain: Keychain,
  input: ReenrollInput,
  fetchImpl?: Fetch,
): Promise<Reenrolled> {
  const clinic = (await db.meta.get('clinic'))?.value as { clinicId: string } | undefined;
  const config = await readSyncConfig(db);
  if (!clinic)
    throw new RuleError(
      'sync.no-clinic',
      'This computer has no clinic yet. Use “Join a clinic” on the welcome screen instead.',
    );
  const serverUrl = normalizeServerUrl(input.serverUrl?.trim() || config?.serverUrl || '');
  const { pair, publicKey } = await newDeviceKeys();
  const replaced = config?.clinicId === clinic.clinicId ? config.deviceId : undefined;
  const creds = await new ServerClient(serverUrl, undefined, fetchImpl).enroll({
    code: input.code.trim(),
    publicKey,
    ...(replaced ? { replaces: replaced } : {}),
  });
  return adopt(db, keychain, { serverUrl, clinic, creds, pair, publicKey, replaced }, fetchImpl);
}

/**
 * After the server enrolled the new key: check it is this computer's clinic (same id, same chain
 * root), then take the new credentials, keeping every record, draft and outbox row.
 */
async function adopt(
  db: KatDatabase,
  keychain: Keychain,
  x: {
    serverUrl: string;
    clinic: { clinicId: string };
    creds: DeviceCredentials;
    pair: CryptoKeyPair;
    publicKey: string;
    replaced?: string;
  },
  fetchImpl?: Fetch,
): Promise<Reenrolled> {
  const { serverUrl, clinic, creds, pair, publicKey, replaced } = x;
  const trust = await loadTrust(db);
  let sameRoot = !trust.state;
  if (creds.clinicId === clinic.clinicId && trust.state) {
    const page = await new ServerClient(serverUrl, creds.token, fetchImpl).readChain(0);
    const { state, problem } = await verifyChain(page.statements, creds.clinicId);
    sameRoot = !problem && state?.rootHash === trust.state.rootHash;
  }
  if (creds.clinicId !== clinic.clinicId || !sameRoot)
    throw new RuleError(
      'sync.other-clinic',
      'This enrollment code belongs to another clinic (or the server answered for one): this ' +
        'computer did not connect, and nothing on it was changed. Ask for a code made on one of ' +
        'this clinic’s computers.',
    );
  const pending: Reenrolled = {
    clinicId: creds.clinicId,
    deviceId: creds.deviceId,
    publicKey,
    fingerprint: trust.state && (await joinFingerprint(trust.state.rootHash, publicKey)),
    ...(replaced ? { replaced } : {}),
  };
  await saveDeviceSecrets(keychain, creds.token, pair.privateKey);
  useKeychainFor(db, keychain);
  await db.transaction('rw', [db.meta], async () => {
    await writeSyncConfig(db, {
      serverUrl,
      clinicId: creds.clinicId,
      deviceId: creds.deviceId,
      admin: creds.admin,
    });
    // No epoch matches '': the next round takes the server-reset path — every record held goes
    // back in the outbox and the cursor restarts (sync-engine.ts). Seen tracking makes the
    // re-pull a no-op.
    await writePosition(db, { cursor: 0, epoch: '' });
    await db.meta.delete('sync-inflight');
    await db.meta.delete('device-profile-sent');
    const { lastSyncAt } = await readSyncStatus(db);
    await writeSyncStatus(db, { lastSyncAt });
    const { replaced: _r, ...join } = pending;
    await db.meta.put({ key: 'join-pending', value: join });
  });
  return pending;
}

/**
 * The clinic's administrator reconnects their own computer without a code (nobody else may be
 * left to make one): signed in here, they sign the request with their identity key; the server
 * accepts it only from a current administrator of the chain it stores, fresh and once, for a
 * computer the chain lists as theirs (server/routes/self-reenroll.ts). Then this computer enrolls
 * its new key and revokes the old one in the chain itself, signed by the same administrator, as
 * another administrator's confirmation would (trust/devices.ts confirmDevice); so it does not wait
 * for a confirmation. Everything else is as with a code.
 */
const UNFINISHED = 'self-reenroll-unfinished';
type Unfinished = Reenrolled & { replaces: string };

export async function reenrollAsAdministrator(
  store: RecordStore,
  keychain: Keychain,
  input: { serverUrl?: string; now?: Date } = {},
  fetchImpl?: Fetch,
): Promise<Reenrolled> {
  const { db, session } = store;
  // The server enrolled the new key but the chain append did not go through (network): finish it.
  const unfinished = (await db.meta.get(UNFINISHED))?.value as Unfinished | undefined;
  if (unfinished) {
    const secrets = await loadDeviceSecrets(keychain);
    const config = await readSyncConfig(db);
    if (secrets && config?.deviceId === unfinished.deviceId) {
      const client = new ServerClient(config.serverUrl, secrets.token, fetchImpl);
      await confirmDevice(store, client, unfinished, signerOf(session).userId);
      await db.meta.bulkDelete(['join-pending', UNFINISHED]);
      return unfinished;
    }
  }
  if (!session.user.roles.includes('administrator'))
    throw new RuleError(
      'sync.admin-only',
      'Only an administrator can reconnect a computer without an enrollment code. Ask an administrator for a code.',
    );
  const signer = signerOf(session);
  const clinic = (await db.meta.get('clinic'))?.value as { clinicId: string } | undefined;
  const config = await readSyncConfig(db);
  if (!clinic || !config || config.clinicId !== clinic.clinicId)
    throw new RuleError(
      'sync.never-connected',
      'This computer was never connected to the clinic server, so there is nothing to reconnect. Use Settings → Clinic server.',
    );
  const serverUrl = normalizeServerUrl(input.serverUrl?.trim() || config.serverUrl);
  const { pair, publicKey } = await newDeviceKeys();
  const fields = {
    clinicId: clinic.clinicId,
    userId: signer.userId,
    publicKey,
    replaces: config.deviceId,
    at: (input.now ?? new Date()).toISOString(),
  };
  const sig = toBase64(await signBytes(signer.signingKey, selfReenrollBytes(fields)));
  const creds = await new ServerClient(serverUrl, undefined, fetchImpl).reenrollSelf({
    ...fields,
    sig,
  });
  const pending = await adopt(
    db,
    keychain,
    { serverUrl, clinic, creds, pair, publicKey, replaced: config.deviceId },
    fetchImpl,
  );
  const unfinishedNow: Unfinished = { ...pending, replaces: config.deviceId };
  await db.meta.put({ key: UNFINISHED, value: unfinishedNow });
  const client = new ServerClient(serverUrl, creds.token, fetchImpl);
  await confirmDevice(store, client, unfinishedNow, signer.userId);
  await db.meta.bulkDelete(['join-pending', UNFINISHED]);
  return pending;
}
