/**
 * Computers in the membership chain, from an administrator's computer: the ones the server lists
 * that the chain does not enroll yet (each with the fingerprint to compare with its screen), and
 * confirming one — an `enroll-device` statement naming its key and the member it belongs to.
 */
import { RuleError } from '../../shared/rules/errors';
import type { DeviceInfo } from '../../shared/sync/protocol';
import { joinFingerprint } from '../../shared/trust/fingerprint';
import type { RecordStore } from '../db/record-store';
import type { ServerClient } from '../sync/server-client';
import { appendStatements, pullChain } from './chain-client';
import { loadTrust } from './chain-store';
import { signerOf } from './signer';
import type { StatementBody } from '../../shared/trust/statement';
import { readPosition } from '../db/sync-state';
import { openJoinProfile } from '../sync/device-profile';

/** The computers waiting to join that said they are for this user name (removal revokes them). */
export async function pendingDevicesFor(
  store: RecordStore,
  client: ServerClient,
  username: string,
): Promise<PendingDevice[]> {
  const wanted = username.trim().toLowerCase();
  const pending = await pendingDevices(store, client);
  return pending.filter((d) => d.username?.trim().toLowerCase() === wanted);
}

export type PendingDevice = {
  deviceId: string;
  publicKey: string;
  enrolledAt: string;
  /** joinFingerprint(the root this computer holds, the key the server lists). */
  fingerprint: string;
  /**
   * Re-enrollment (renderer/sync/reenroll.ts): the computer this one replaces, as the server
   * recorded it, when the chain still enrolls it. Confirming revokes it in the chain.
   */
  replaces?: string;
  /**
   * What the joining computer said (sealed to the administrators: device-profile.ts): the name
   * it was given and the user name typed on its screen. A claim — the fingerprint is the proof.
   */
  name?: string;
  username?: string;
};

/** Enrolled on the server, not revoked, not (yet) in the chain. */
export async function pendingDevices(
  store: RecordStore,
  client: ServerClient,
  listed?: DeviceInfo[],
): Promise<PendingDevice[]> {
  await pullChain(store.db, client);
  const chain = (await loadTrust(store.db)).state;
  if (!chain) return [];
  const devices = listed ?? (await client.devices()).devices;
  const out: PendingDevice[] = [];
  for (const d of devices) {
    if (d.revokedAt || chain.devices.has(d.deviceId)) continue;
    const old = d.replaces ? chain.devices.get(d.replaces) : undefined;
    out.push({
      deviceId: d.deviceId,
      publicKey: d.publicKey,
      enrolledAt: d.enrolledAt,
      fingerprint: await joinFingerprint(chain.rootHash, d.publicKey),
      ...(old && !old.revoked ? { replaces: old.deviceId } : {}),
      ...(await openJoinProfile(store.session.identity, chain.clinicId, d.deviceId, d.profile)),
    });
  }
  return out;
}

/**
 * The administrator saw the same digits on both screens: the computer joins, for `owner`. A
 * computer that re-enrolled in place of another (`replaces`, shown on the administrator's screen)
 * revokes that one in the same append: bundles its old key signed up to the server's head now
 * stand (the server refused the old key from the moment of re-enrollment), later ones are refused
 * everywhere, and the re-enrolled computer offers everything it holds again under its new key.
 */
export async function confirmDevice(
  store: RecordStore,
  client: ServerClient,
  device: { deviceId: string; publicKey: string; replaces?: string },
  owner: string,
) {
  if (!store.session.user.roles.includes('administrator'))
    throw new RuleError(
      'trust.admin-only',
      'Only an administrator can confirm a computer. Nothing was changed.',
    );
  const upTo = device.replaces ? await serverHead(store, client) : 0;
  await appendStatements(
    store.db,
    signerOf(store.session),
    (state) => {
      const enroll: StatementBody = {
        kind: 'enroll-device',
        deviceId: device.deviceId,
        publicKey: device.publicKey,
        owner,
      };
      const old = device.replaces ? state?.devices.get(device.replaces) : undefined;
      return old && !old.revoked
        ? [enroll, { kind: 'revoke-device', deviceId: old.deviceId, upTo }]
        : [enroll];
    },
    { client },
  );
}

/** The server's newest bundle sequence (as device-revocation.ts reads it). */
async function serverHead(store: RecordStore, client: ServerClient) {
  const cursor = (await readPosition(store.db))?.cursor ?? 0;
  return (await client.pull(cursor, 1)).head;
}
