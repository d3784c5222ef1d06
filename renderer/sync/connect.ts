/**
 * Connecting a device to a clinic server: the first device registers the clinic with the
 * operator's setup token; every other device joins with a one-time enrollment code from an admin
 * device, then fetches the user's wrapped key, pulls the clinic's records and signs in as usual.
 */
import { WrongPassphraseError } from '../../shared/crypto/passphrase';
import { RuleError } from '../../shared/rules/errors';
import { HybridClock } from '../../shared/sync/hlc';
import type { DeviceCredentials } from '../../shared/sync/protocol';
import { toHex } from '../../shared/util/bytes';
import type { ClinicMeta } from '../db/auth';
import type { KatDatabase } from '../db/database';
import { decryptRecord } from '../db/record-crypto';
import type { Session } from '../db/session';
import { readSyncConfig, writePosition, writeSyncConfig } from '../db/sync-state';
import { type Keychain, newDeviceKeys, saveDeviceSecrets } from './device-credentials';
import { writeRecoveryHolder } from './clinic-keys';
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
}

/** First device: registers this clinic on the server. Its records go up on the first sync. */
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

/**
 * A new computer joins an existing clinic. Afterwards the clinic, the user's keyring and all
 * records are here, and the caller signs in with the same user name and passphrase.
 */
export async function joinClinic(
  db: KatDatabase,
  keychain: Keychain,
  input: JoinInput,
  fetchImpl?: Fetch,
): Promise<ClinicMeta> {
  if (await db.meta.get('clinic'))
    throw new RuleError('sync.has-clinic', 'This computer already has a clinic set up.');
  const serverUrl = normalizeServerUrl(input.serverUrl);
  const { pair, publicKey } = await newDeviceKeys();
  const creds = await new ServerClient(serverUrl, undefined, fetchImpl).enroll({
    code: input.code.trim(),
    publicKey,
  });
  const client = new ServerClient(serverUrl, creds.token, fetchImpl);
  let opened;
  try {
    opened = await fetchKeyring(client, creds.clinicId, input.username.trim(), input.passphrase);
  } catch (e) {
    if (e instanceof WrongPassphraseError)
      throw new RuleError(
        'sync.wrong-passphrase',
        'That passphrase does not open this user’s key. Check it and try again.',
      );
    throw e;
  }
  const deviceNode = toHex(crypto.getRandomValues(new Uint8Array(8)));
  await remember(db, keychain, serverUrl, creds, pair.privateKey);
  // This computer stores its records under the version active when it joined.
  const keyVersion = opened.clinicKeys.activeVersion;
  const dataKey = opened.clinicKeys.activeKey;
  await db.keyring.put(opened.keyring);
  await db.meta.put({ key: 'keyVersion', value: keyVersion });
  if (opened.recovery) await writeRecoveryHolder(db, opened.recovery);
  const clock = new HybridClock(deviceNode);
  const engine = new SyncEngine({
    db,
    context: {
      clinicId: creds.clinicId,
      dataKey,
      keyVersion,
      clock,
    },
    config: (await readSyncConfig(db))!,
    secrets: { token: creds.token, signingKey: pair.privateKey },
    fetch: fetchImpl,
    ...keyringInputs(opened.clinicKeys),
  });
  await engine.syncOnce();
  const settingsRow = await db.records.where('kind').equals('clinic-settings').first();
  const settings = settingsRow
    ? ((await decryptRecord(settingsRow, dataKey, creds.clinicId)) as {
        clinicName?: string;
      })
    : undefined;
  const clinic: ClinicMeta = {
    clinicId: creds.clinicId,
    clinicName: settings?.clinicName ?? 'Clinic',
    deviceId: deviceNode,
    createdAt: new Date().toISOString(),
  };
  await db.meta.put({ key: 'clinic', value: clinic });
  return clinic;
}
