/**
 * Connecting a device to a clinic server. The first device registers the clinic with the
 * operator's setup token, uploads the clinic's membership chain and enrolls itself in it. Every
 * other device joins with a one-time enrollment code from an administrator's computer, then
 * waits: it shows a fingerprint of the clinic root it was given and of its own device key, the
 * administrator compares it with the one on their screen and confirms, and only then — enrolled in
 * the chain — does the new computer fetch its member's keys, pull the clinic's records and sign
 * in as usual (shared/trust/README.md, "Humans verify what the server could fake").
 */
import { WrongPassphraseError } from '../../shared/crypto/passphrase';
import { RuleError } from '../../shared/rules/errors';
import { HybridClock } from '../../shared/sync/hlc';
import type { DeviceCredentials } from '../../shared/sync/protocol';
import { joinFingerprint } from '../../shared/trust/fingerprint';
import type { ChainState } from '../../shared/trust/chain-state';
import { verifyChain } from '../../shared/trust/verify';
import { toHex } from '../../shared/util/bytes';
import type { ClinicMeta } from '../db/auth';
import type { KatDatabase } from '../db/database';
import { decryptRecord } from '../db/record-crypto';
import type { FactorProof } from '../db/second-factor';
import type { Session } from '../db/session';
import { readSyncConfig, writePosition, writeSyncConfig } from '../db/sync-state';
import { appendStatements, pullChain, uploadChain, useKeychainFor } from '../trust/chain-client';
import { loadTrust, saveChain } from '../trust/chain-store';
import { signerOf } from '../trust/signer';
import {
  type Keychain,
  loadDeviceSecrets,
  newDeviceKeys,
  saveDeviceSecrets,
} from './device-credentials';
import { writeRecoveryHolder } from './clinic-keys';
import { readComputerName, sealJoinProfile } from './device-profile';
import { fetchKeyring } from './key-blobs';
import { keyringInputs } from './key-refresh';
import { type Fetch, ServerClient, normalizeServerUrl } from './server-client';
import { SyncEngine } from './sync-engine';

async function remember(
  db: KatDatabase,
  keychain: Keychain,
  serverUrl: string,
  creds: DeviceCredentials,
  privateKey: CryptoKey,
) {
  await saveDeviceSecrets(keychain, creds.token, privateKey);
  await writeSyncConfig(db, {
    serverUrl,
    clinicId: creds.clinicId,
    deviceId: creds.deviceId,
    admin: creds.admin,
  });
  await writePosition(db, { cursor: 0, epoch: creds.epoch });
  useKeychainFor(db, keychain);
}

/**
 * First device: registers this clinic on the server, uploads the membership chain and enrolls
 * itself in it (its records go up on the first sync).
 */
export async function connectFirstDevice(
  db: KatDatabase,
  keychain: Keychain,
  session: Session,
  input: { serverUrl: string; setupToken: string },
  fetchImpl?: Fetch,
) {
  if (!session.user.roles.includes('administrator'))
    throw new RuleError(
      'sync.admin-only',
      'Only an administrator can connect the clinic to a server.',
    );
  const serverUrl = normalizeServerUrl(input.serverUrl);
  const { pair, publicKey } = await newDeviceKeys();
  const creds = await new ServerClient(serverUrl, undefined, fetchImpl).bootstrapClinic({
    setupToken: input.setupToken.trim(),
    clinicId: session.clinicId,
    publicKey,
  });
  await remember(db, keychain, serverUrl, creds, pair.privateKey);
  const client = new ServerClient(serverUrl, creds.token, fetchImpl);
  if (!(await loadTrust(db)).state) return; // a clinic from before the chain: set up at sign-in
  await uploadChain(db, client);
  await appendStatements(
    db,
    signerOf(session),
    () => [{ kind: 'enroll-device', deviceId: creds.deviceId, publicKey, owner: session.user.id }],
    { client },
  );
}

/** An admin device makes a code for the next device (valid 15 minutes, once). */
export async function createEnrollmentCode(db: KatDatabase, token: string, fetchImpl?: Fetch) {
  const config = await readSyncConfig(db);
  if (!config)
    throw new RuleError(
      'sync.not-connected',
      'This computer is not connected to a clinic server yet.',
    );
  return new ServerClient(config.serverUrl, token, fetchImpl).createEnrollmentCode(false);
}

export type JoinInput = { serverUrl: string; code: string; username: string; passphrase: string };

const JOIN = 'join-pending';

/** A join under way: enrolled on the server, waiting for an administrator's confirmation. */
export type JoinPending = {
  clinicId: string;
  deviceId: string;
  publicKey: string;
  /** What the administrator compares; undefined for a clinic from before the chain. */
  fingerprint?: string;
};

export async function readJoin(db: KatDatabase): Promise<JoinPending | undefined> {
  return (await db.meta.get(JOIN))?.value as JoinPending | undefined;
}

async function clientFor(db: KatDatabase, keychain: Keychain, fetchImpl?: Fetch) {
  const config = await readSyncConfig(db);
  const secrets = await loadDeviceSecrets(keychain);
  if (!config || !secrets)
    throw new RuleError(
      'sync.join-lost',
      'This computer’s enrollment was interrupted. Ask for a new enrollment code and join again.',
    );
  return new ServerClient(config.serverUrl, secrets.token, fetchImpl);
}

/**
 * Step 1: enroll with the code, fetch and verify the clinic's membership chain, and return the
 * fingerprint to show. The enrollment is remembered, so a reload resumes here.
 */
export async function startJoin(
  db: KatDatabase,
  keychain: Keychain,
  input: { serverUrl: string; code: string; username?: string },
  fetchImpl?: Fetch,
): Promise<JoinPending> {
  if (await db.meta.get('clinic'))
    throw new RuleError('sync.has-clinic', 'This computer already has a clinic set up.');
  const serverUrl = normalizeServerUrl(input.serverUrl);
  const { pair, publicKey } = await newDeviceKeys();
  const creds = await new ServerClient(serverUrl, undefined, fetchImpl).enroll({
    code: input.code.trim(),
    publicKey,
  });
  await remember(db, keychain, serverUrl, creds, pair.privateKey);
  const client = new ServerClient(serverUrl, creds.token, fetchImpl);
  const page = await client.readChain(0);
  const { state, problem } = await verifyChain(page.statements, creds.clinicId);
  if (problem)
    throw new RuleError(
      'sync.chain-refused',
      `${problem.message} This computer did not join. Tell your administrator.`,
    );
  if (state) await saveChain(db, page.statements.slice(0, state.length), state);
  const pending: JoinPending = {
    clinicId: creds.clinicId,
    deviceId: creds.deviceId,
    publicKey,
    fingerprint: state && (await joinFingerprint(state.rootHash, publicKey)),
  };
  await db.meta.put({ key: JOIN, value: pending });
  if (state) await shareJoinProfile(db, client, state, creds.deviceId, input.username);
  return pending;
}

/**
 * The administrators see this computer's name and whose it is meant to be while it waits (sealed
 * to them: device-profile.ts, `sealJoinProfile`). Best effort: the join goes on without it.
 */
async function shareJoinProfile(
  db: KatDatabase,
  client: ServerClient,
  state: ChainState,
  deviceId: string,
  username: string | undefined,
) {
  const admins = [...state.members.values()]
    .map((m) => m.periods[m.periods.length - 1]!)
    .filter((p) => p.active && p.roles.includes('administrator'))
    .map((p) => p.keys.agreementKey);
  try {
    const profile = {
      name: (await readComputerName(db)) ?? 'Unnamed computer',
      username: (username ?? '').trim().slice(0, 64),
    };
    await client.putDeviceProfile(await sealJoinProfile(admins, state.clinicId, deviceId, profile));
  } catch {
    // The administrator then sees the computer by its short id, as before.
  }
}

/** Step 2: has an administrator confirmed this computer in the chain yet? */
export async function joinConfirmed(
  db: KatDatabase,
  keychain: Keychain,
  fetchImpl?: Fetch,
): Promise<boolean> {
  const pending = await readJoin(db);
  if (!pending) return false;
  if (!pending.fingerprint) return true; // a clinic from before the chain: nothing to confirm
  await pullChain(db, await clientFor(db, keychain, fetchImpl));
  const device = (await loadTrust(db)).state?.devices.get(pending.deviceId);
  return !!device && device.publicKey === pending.publicKey && !device.revoked;
}

/**
 * Step 3, once confirmed: open the member's keys with their passphrase, pull everything, and
 * leave the computer ready for a normal sign-in. A wrong passphrase can be tried again.
 */
export async function finishJoin(
  db: KatDatabase,
  keychain: Keychain,
  input: { username: string; passphrase: string; proof?: FactorProof },
  fetchImpl?: Fetch,
  origin = globalThis.location?.origin ?? '',
): Promise<ClinicMeta> {
  const pending = await readJoin(db);
  if (!pending || !(await joinConfirmed(db, keychain, fetchImpl)))
    throw new RuleError(
      'sync.not-confirmed',
      'An administrator has not confirmed this computer yet. Compare the numbers on both screens.',
    );
  const client = await clientFor(db, keychain, fetchImpl);
  const secrets = (await loadDeviceSecrets(keychain))!;
  const chain = (await loadTrust(db)).state;
  const owner = chain?.devices.get(pending.deviceId)?.owner;
  let opened;
  try {
    opened = await fetchKeyring(
      client,
      pending.clinicId,
      { username: input.username.trim(), owner },
      input.passphrase,
      chain,
      { proof: input.proof, origin },
    );
  } catch (e) {
    if (e instanceof WrongPassphraseError)
      throw new RuleError(
        'sync.wrong-passphrase',
        'That passphrase does not open the key of the person this computer was confirmed for. ' +
          'Check it and try again.',
      );
    throw e;
  }
  const deviceNode = toHex(crypto.getRandomValues(new Uint8Array(8)));
  // Everything is stored under the newest version from the start (later ones: reseal.ts).
  const keyVersion = opened.clinicKeys.activeVersion;
  const dataKey = opened.clinicKeys.activeKey;
  await db.keyring.put(opened.keyring);
  await db.meta.put({ key: 'keyVersion', value: keyVersion });
  if (opened.recovery) await writeRecoveryHolder(db, opened.recovery);
  const clock = new HybridClock(deviceNode);
  const engine = new SyncEngine({
    db,
    context: {
      clinicId: pending.clinicId,
      dataKey,
      keyVersion,
      keyring: opened.clinicKeys,
      clock,
    },
    config: (await readSyncConfig(db))!,
    secrets,
    fetch: fetchImpl,
    ...keyringInputs(opened.clinicKeys),
  });
  await engine.syncOnce();
  const settingsRow = await db.records.where('kind').equals('clinic-settings').first();
  const settings = settingsRow
    ? ((await decryptRecord(settingsRow, dataKey, pending.clinicId)) as {
        clinicName?: string;
      })
    : undefined;
  const clinic: ClinicMeta = {
    clinicId: pending.clinicId,
    clinicName: settings?.clinicName ?? 'Clinic',
    deviceId: deviceNode,
    createdAt: new Date().toISOString(),
  };
  await db.transaction('rw', [db.meta], async () => {
    await db.meta.put({ key: 'clinic', value: clinic });
    await db.meta.delete(JOIN);
  });
  return clinic;
}

/**
 * The whole join in one call, for tools and tests: `confirm` plays the administrator (it receives
 * what the joining screen shows and confirms on the administrator's computer).
 */
export async function joinClinic(
  db: KatDatabase,
  keychain: Keychain,
  input: JoinInput,
  fetchImpl?: Fetch,
  confirm?: (pending: JoinPending) => Promise<void>,
): Promise<ClinicMeta> {
  const pending = await startJoin(db, keychain, input, fetchImpl);
  if (pending.fingerprint && confirm) await confirm(pending);
  return finishJoin(db, keychain, input, fetchImpl);
}
