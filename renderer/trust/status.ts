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
import { waitingForWriter } from './authors';
import { proposedKeys } from './pending-keys';
import { kindWords } from '../../shared/rules/lifecycle';
import type { RecordKind } from '../../shared/model/common';

export type TrustStatus = {
  entries: number;
  /** The chain's verified state in plain words (how far it was checked, and from what). */
  verified: string;
  /** Whether every change must name its writer (`require-authors`), in plain words. */
  authorRule: { on: boolean; text: string };
  /**
   * Changes kept in this computer's outbox because no signature covers them and the clinic
   * requires one: each waits for its writer to sign in here (renderer/trust/authors.ts).
   */
  waitingForWriter: string[];
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
    return {
      entries: 0,
      verified:
        'This computer holds no membership record yet: nothing in it has been checked, because ' +
        'there is nothing to check.',
      authorRule: {
        on: false,
        text:
          'Not on: changes from other computers are checked against the role of the person the ' +
          'sending computer belongs to.',
      },
      waitingForWriter: [],
      pending,
      problems,
      waitingColleagues: [],
    };
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
  return {
    entries: chain.length,
    verified: verifiedWords(chain, problems.length),
    authorRule: authorRuleWords(chain),
    waitingForWriter: await waitingWords(store),
    pending,
    problems,
    waitingColleagues,
  };
}

function verifiedWords(chain: ChainState, refused: number) {
  const n = chain.length;
  return (
    `${n === 1 ? 'The 1 entry' : `All ${n} entries`} this computer holds ${n === 1 ? 'was' : 'were'} checked in ` +
    'order, each against the signature of an administrator at that point, back to the ' +
    'clinic’s founding administrator. ' +
    (refused
      ? `${refused} ${refused === 1 ? 'entry' : 'entries'} did not verify and ${refused === 1 ? 'was' : 'were'} refused (listed below).`
      : 'None was refused.')
  );
}

function authorRuleWords(chain: ChainState): TrustStatus['authorRule'] {
  const rule = chain.authorsRequired;
  if (!rule)
    return {
      on: false,
      text:
        'Not on yet: changes from other computers are checked against the role of the person ' +
        'the sending computer belongs to. It is turned on when an administrator signs in with ' +
        'this version of KAT Chart.',
    };
  return {
    on: true,
    text:
      'On: every change must carry the signature of the person who wrote it, and their role ' +
      'must allow it; a change without one is refused. ' +
      (rule.upTo === 0
        ? 'It has been so since the clinic began to sync.'
        : `Changes sent before the rule (the server’s first ${rule.upTo.toLocaleString('en-US')} ` +
          `${rule.upTo === 1 ? 'bundle' : 'bundles'}) stand as they were.`),
  };
}

const article = (w: string) => (/^[aeio]/.test(w) ? 'An' : 'A');

async function waitingWords(store: RecordStore): Promise<string[]> {
  const waiting = await waitingForWriter(store.db);
  if (!waiting.length) return [];
  const names = new Map((await store.listKind('user')).map((u) => [u.id, u.displayName] as const));
  return waiting.map((w) => {
    const what = kindWords(w.kind as RecordKind);
    const who = w.writer && names.get(w.writer);
    if (w.why === 'unconfirmed-keys')
      return (
        `${article(what)} ${what} written by ${who ?? 'a colleague'} with new keys an ` +
        'administrator has not confirmed yet'
      );
    return who
      ? `${article(what)} ${what} written by ${who} on this computer`
      : `${article(what)} ${what} whose writer this computer cannot tell (made before ` +
          'signatures, or on another computer)';
  });
}

async function colleaguesWaiting(store: RecordStore, chain: ChainState) {
  const out: WaitingColleague[] = [];
  for (const user of await store.listKind('user')) {
    if (!user.active || user.id === store.session.user.id) continue;
    const member = currentMember(chain, user.id);
    if (member && !member.active) continue;
    if (!member)
      out.push({
        userId: user.id,
        name: user.displayName,
        why: chain.legacyBefore
          ? 'added before the membership record: added at an administrator’s next sign-in once ' +
            'they have signed in on a computer that synced'
          : 'not in the membership record',
      });
    const keys = member && (await proposedKeys(store.db, user.id, member.keys));
    if (member && keys)
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
