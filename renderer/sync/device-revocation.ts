/**
 * Removing a lost or retired computer: the server refuses it from its next request, then a new
 * clinic key version is made (SYNC.md rule 13) so nothing sealed from now on opens with the keys
 * it held. The rotation needs an administrator signed in, so that is checked before the server
 * is asked: a half-done removal (revoked but no new key) cannot come from here.
 */
import { RuleError } from '../../shared/rules/errors';
import type { RecordStore } from '../db/record-store';
import { type RotationResult, rotateClinicKey } from './clinic-keys';
import type { ServerClient } from './server-client';

export async function revokeDeviceAndRotate(
  store: RecordStore,
  client: ServerClient,
  deviceId: string,
): Promise<RotationResult> {
  if (!store.session.user.roles.includes('administrator') || !store.session.keyring)
    throw new RuleError(
      'keys.admin-only',
      'Only an administrator can remove a computer. Nothing was changed.',
    );
  await client.revokeDevice(deviceId);
  return rotateClinicKey(store, 'device-revoked');
}
