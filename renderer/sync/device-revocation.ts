/**
 * Key changes an administrator starts from the app. On a computer connected to a clinic server,
 * the keys are brought up to date with the server first and the change refused while it cannot be
 * reached: two computers making "version 3" offline would make two different keys under one
 * number. Removing a lost or retired computer: the server refuses it from its next request, then a
 * new clinic key version is made (SYNC.md rule 13) so nothing sealed from now on opens with the
 * keys it held. Everything that can fail is checked before the server is asked to revoke.
 */
import { RuleError } from '../../shared/rules/errors';
import type { RecordStore } from '../db/record-store';
import { readSyncConfig } from '../db/sync-state';
import { type RotationResult, removeUser, rotateClinicKey } from './clinic-keys';
import { loadDeviceSecrets } from './device-credentials';
import { refreshKeys } from './key-refresh';
import { platformKeychain } from './platform-keychain';
import { ServerClient, SyncHttpError } from './server-client';
import type { Keychain } from './device-credentials';

function assertAdmin(store: RecordStore) {
  if (!store.session.user.roles.includes('administrator') || !store.session.keyring)
    throw new RuleError(
      'keys.admin-only',
      'Only an administrator can change the clinic keys. Nothing was changed.',
    );
}

/** The server client of a connected computer, after its keys are merged with the server's. */
async function serverFirst(store: RecordStore, keychain: Keychain) {
  const config = await readSyncConfig(store.db);
  if (!config) return undefined; // not connected: this computer is the clinic's only one
  const secrets = await loadDeviceSecrets(keychain);
  if (!secrets)
    throw new RuleError(
      'keys.no-secrets',
      'This computer’s sync key is missing, so the clinic keys cannot be changed here. ' +
        'Nothing was changed.',
    );
  const client = new ServerClient(config.serverUrl, secrets.token);
  try {
    await refreshKeys(store, client);
  } catch (e) {
    if (e instanceof SyncHttpError)
      throw new RuleError(
        'keys.server-needed',
        `A new clinic key needs the clinic server, so that every computer agrees on it. ${e.message} ` +
          'Nothing was changed.',
      );
    throw e;
  }
  return client;
}

export async function changeKeyNow(store: RecordStore, keychain = platformKeychain) {
  assertAdmin(store);
  await serverFirst(store, keychain);
  return rotateClinicKey(store, 'manual');
}

export async function removeUserEverywhere(
  store: RecordStore,
  userId: string,
  keychain = platformKeychain,
): Promise<RotationResult> {
  assertAdmin(store);
  await serverFirst(store, keychain);
  return removeUser(store, userId);
}

export async function revokeDeviceAndRotate(
  store: RecordStore,
  client: ServerClient,
  deviceId: string,
  keychain = platformKeychain,
): Promise<RotationResult> {
  assertAdmin(store);
  await serverFirst(store, keychain);
  await client.revokeDevice(deviceId);
  await store.audit('device-removed', { detail: `Computer ${deviceId}` });
  return rotateClinicKey(store, 'device-revoked');
}
