/**
 * What Settings → Clinic server says about the membership chain, in plain words: how much of it
 * this computer holds, what is pending (this computer or a member's new keys not confirmed yet, a
 * clinic from before the chain not set up yet), and every statement that did not verify.
 */
import { memberKeysOf } from '../../shared/crypto/keyring';
import { type ChainState, currentMember } from '../../shared/trust/chain-state';
import { joinFingerprint, memberFingerprint } from '../../shared/trust/fingerprint';
import type { RecordStore } from '../db/record-store';
import { readSyncConfig } from '../db/sync-state';
import type { UserKeys } from '../sync/clinic-keys';
import { type TrustIssue, loadTrust, readTrustIssues } from './chain-store';

export type TrustStatus = {
  entries: number;
  pending: string[];
  problems: TrustIssue[];
  /**
   * For administrators: active colleagues whose identity is not (or no longer) the one the
   * membership record names — added before the record existed and not attested yet, or new keys
   * set with the recovery key — so other computers hold back what they sign.
   */
  waitingColleagues: WaitingColleague[];
};

export type WaitingColleague = {
  userId: string;
  name: string;
  why: string;
  /** New keys to confirm: the digits their own screen shows (member-keys.ts). */
  fingerprint?: string;
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
    return { entries: 0, pending, problems, waitingColleagues: [] };
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
  const waitingColleagues = session.user.roles.includes('administrator')
    ? await colleaguesWaiting(store, chain)
    : [];
  return { entries: chain.length, pending, problems, waitingColleagues };
}

async function colleaguesWaiting(store: RecordStore, chain: ChainState) {
  const rows = new Map(
    ((await store.db.keyring.toArray()) as UserKeys[]).map((r) => [r.userId, r] as const),
  );
  const out: WaitingColleague[] = [];
  for (const user of await store.listKind('user')) {
    if (!user.active || user.id === store.session.user.id) continue;
    const member = currentMember(chain, user.id);
    if (member && !member.active) continue;
    const keys = memberKeysOf(rows.get(user.id)?.identity);
    if (!member)
      out.push({
        userId: user.id,
        name: user.displayName,
        why: chain.legacyBefore
          ? 'added before the membership record: added at an administrator’s next sign-in once ' +
            'they have signed in on a computer that synced'
          : 'not in the membership record',
      });
    else if (keys && keys.signingKey !== member.keys.signingKey)
      out.push({
        userId: user.id,
        name: user.displayName,
        why:
          'set new keys with the recovery key; confirm them when their screen (Settings → Clinic ' +
          'server) shows the same numbers',
        fingerprint: await memberFingerprint(chain.rootHash, user.id, keys),
      });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
