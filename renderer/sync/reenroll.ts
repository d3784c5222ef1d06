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
import { type Keychain, newDeviceKeys, saveDeviceSecrets } from './device-credentials';
import { type Fetch, ServerClient, normalizeServerUrl } from './server-client';

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
