/**
 * Key changes an administrator starts from the app. On a computer connected to a clinic server,
 * the keys are brought up to date with the server first and the change refused while it cannot be
 * reached: two computers making "version 3" offline would make two different keys under one
 * number. Removing a lost or retired computer: the server refuses it from its next request, then a
 * new clinic key version is made (SYNC.md rule 13) so nothing sealed from now on opens with the
 * keys it held. Everything that can fail is checked before the server is asked to revoke.
 */
import { pendingDevices, pendingDevicesFor } from '../trust/devices';
import type { DeviceInfo } from '../../shared/sync/protocol';
import { RuleError } from '../../shared/rules/errors';
import type { StatementBody } from '../../shared/trust/statement';
import type { RecordStore } from '../db/record-store';
import { readPosition, readSyncConfig } from '../db/sync-state';
import { chainStateOf } from '../trust/chain-store';
import { type RotationResult, removeUser, rotateClinicKey } from './clinic-keys';
import { loadDeviceSecrets } from './device-credentials';
import { refreshKeys } from './key-refresh';
import { platformKeychain } from './platform-keychain';
import { ServerClient, SyncHttpError } from './server-client';
import { useKeychainFor } from '../trust/chain-client';
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
    useKeychainFor(store.db, keychain);
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

/**
 * The server's newest bundle sequence: bundles a removed person's computers sent up to here stand
 * (the administrator decided with them in view); later ones are refused everywhere.
 */
async function serverHead(store: RecordStore, client: ServerClient | undefined) {
  if (!client) return 0;
  const cursor = (await readPosition(store.db))?.cursor ?? 0;
  return (await client.pull(cursor, 1)).head;
}

export async function removeUserEverywhere(
  store: RecordStore,
  userId: string,
  keychain = platformKeychain,
): Promise<RotationResult> {
  assertAdmin(store);
  const client = await serverFirst(store, keychain);
  const username = (await store.get('user', userId))?.username;
  // Computers that joined for them and wait for confirmation are in no chain statement: listed
  // before the removal (whose key refresh would already count them as nobody's).
  const waiting =
    client && username ? await pendingDevicesFor(store, client, username).catch(() => []) : [];
  const result = await removeUser(store, userId, await serverHead(store, client));
  // The chain revoked every computer they own in the same statement; the server is told too, so
  // none of them syncs any more (what a server that ignores this still serves is refused by every
  // computer: renderer/trust/incoming.ts).
  // A call that fails here (the server unreachable for a moment) is made again at this
  // administrator's next sync round (reviseServerRevocations), never forgotten.
  const chain = await chainStateOf(store.db);
  for (const d of chain?.devices.values() ?? [])
    if (d.owner === userId && client) await client.revokeDevice(d.deviceId).catch(() => undefined);
  // A computer that joined for them but was never confirmed is revoked in the same step: an
  // administrator would otherwise have to find it in the list. A call that fails here is made
  // again at the next sync round (reviseServerRevocations: waiting computers of removed members).
  for (const d of waiting) await client!.revokeDevice(d.deviceId).catch(() => undefined);
  return result;
}

/**
 * The chain decides which computers are removed; the server is told again, on every
 * administrator's sync round, about any it still lists as live (a revocation call that failed,
 * or a removal made on a computer that was offline). Returns the computers it revoked now.
 */
export async function reviseServerRevocations(
  store: RecordStore,
  client: ServerClient,
): Promise<string[]> {
  if (!store.session.user.roles.includes('administrator')) return [];
  const chain = await chainStateOf(store.db);
  if (!chain) return [];
  const revokedInChain = [...chain.devices.values()].filter((d) => d.revoked);
  const removed = [...chain.members.values()].filter((m) => !m.periods.at(-1)?.active);
  if (!revokedInChain.length && !removed.length) return [];
  // A failure here never stops the sync round: the next round asks again.
  const listed = await client.devices().catch(() => undefined);
  if (!listed) return [];
  const live = new Set(listed.devices.filter((d) => !d.revokedAt).map((d) => d.deviceId));
  const revoke = (id: string) =>
    client.revokeDevice(id).then(
      () => true,
      () => false,
    );
  const done: string[] = [];
  for (const d of revokedInChain)
    if (live.has(d.deviceId) && (await revoke(d.deviceId))) done.push(d.deviceId);
  // Computers that joined for a member removed since, never confirmed (in no chain statement):
  // removeUserEverywhere revokes them in the same step; a call that failed there is made here.
  for (const id of await waitingForRemoved(store, client, listed.devices, removed))
    if (await revoke(id)) done.push(id);
  return done;
}

/**
 * Waiting computers whose sealed join profile names the user name of a member the chain shows as
 * removed — and of no active member (a user name given to someone else later is theirs).
 */
async function waitingForRemoved(
  store: RecordStore,
  client: ServerClient,
  listed: DeviceInfo[],
  removed: { userId: string }[],
): Promise<string[]> {
  if (!removed.length) return [];
  const waiting = await pendingDevices(store, client, listed).catch(() => []);
  if (!waiting.some((d) => d.username)) return [];
  const chain = (await chainStateOf(store.db))!;
  const nameOf = new Map(
    (await store.listKind('user')).map((u) => [u.id, u.username.trim().toLowerCase()]),
  );
  const gone = new Set(removed.map((m) => nameOf.get(m.userId)).filter(Boolean));
  for (const m of chain.members.values())
    if (m.periods.at(-1)?.active) gone.delete(nameOf.get(m.userId));
  return waiting
    .filter((d) => d.username && gone.has(d.username.trim().toLowerCase()))
    .map((d) => d.deviceId);
}

/**
 * The chain says the computer is revoked (with a new key version, in one append) before the
 * server is asked to refuse it: if the chain cannot be appended to, nothing changed.
 */
export async function revokeDeviceAndRotate(
  store: RecordStore,
  client: ServerClient,
  deviceId: string,
  keychain = platformKeychain,
): Promise<RotationResult> {
  assertAdmin(store);
  await serverFirst(store, keychain);
  const enrolled = (await chainStateOf(store.db))?.devices.get(deviceId);
  const cause: StatementBody[] =
    enrolled && !enrolled.revoked
      ? [{ kind: 'revoke-device', deviceId, upTo: await serverHead(store, client) }]
      : [];
  const result = await rotateClinicKey(store, 'device-revoked', cause);
  await client.revokeDevice(deviceId);
  await store.audit('device-removed', { detail: `Computer ${deviceId}` });
  return result;
}
