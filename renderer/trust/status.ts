/**
 * What Settings → Clinic server says about the membership chain, in plain words: how much of it
 * this computer holds, what is pending (this computer or a member's new keys not confirmed yet, a
 * clinic from before the chain not set up yet), and every statement that did not verify.
 */
import { memberKeysOf } from '../../shared/crypto/keyring';
import { currentMember } from '../../shared/trust/chain-state';
import { joinFingerprint, memberFingerprint } from '../../shared/trust/fingerprint';
import type { RecordStore } from '../db/record-store';
import { readSyncConfig } from '../db/sync-state';
import type { UserKeys } from '../sync/clinic-keys';
import { type TrustIssue, loadTrust, readTrustIssues } from './chain-store';

export type TrustStatus = {
  entries: number;
  pending: string[];
  problems: TrustIssue[];
};

export async function readTrustStatus(
  store: RecordStore,
  ownDevicePublicKey?: string,
): Promise<TrustStatus> {
  const { db, session } = store;
  const trust = await loadTrust(db);
  const problems = await readTrustIssues(db);
  const chain = trust.state;
  const pending: string[] = [];
  if (!chain) {
    pending.push(
      'The clinic’s membership record is not set up yet. It is made when an administrator signs ' +
        'in on a computer with this version of KAT Chart; until then, keys and roles from other ' +
        'computers are taken as they were before, and new users cannot be added.',
    );
    return { entries: 0, pending, problems };
  }
  const config = await readSyncConfig(db);
  if (config && !chain.devices.has(config.deviceId)) {
    const digits =
      ownDevicePublicKey && (await joinFingerprint(chain.rootHash, ownDevicePublicKey));
    pending.push(
      'An administrator has not confirmed this computer in the clinic’s membership record yet, so ' +
        'other computers hold back what it sends.' +
        (digits ? ` Show them these numbers: ${digits}.` : ''),
    );
  }
  const me = currentMember(chain, session.user.id);
  const row = (await db.keyring.get(session.user.id)) as UserKeys | undefined;
  const mine = memberKeysOf(row?.identity);
  if (me && mine && mine.signingKey !== me.keys.signingKey)
    pending.push(
      'Your new keys (set with the recovery key) wait for an administrator to confirm them. Until ' +
        'then other computers hold back what you sign. Show the administrator these numbers: ' +
        `${await memberFingerprint(chain.rootHash, session.user.id, mine)}.`,
    );
  if (!me && chain.legacyBefore)
    pending.push(
      'Your account is not in the clinic’s membership record yet; an administrator’s computer adds ' +
        'it at its next sync.',
    );
  return { entries: chain.length, pending, problems };
}
