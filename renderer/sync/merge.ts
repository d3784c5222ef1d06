/**
 * The merge policy for one remote version of a record meeting what this device holds (SYNC.md
 * rules 3 and 4). Pure: the caller reads the local state and writes the outcome.
 *
 * - Signed is final: a remote draft or a different signed body never replaces a signed record;
 *   the only change accepted is the entered-in-error mark of the same content.
 * - Drafts merge field by field, last writer wins per field by HLC (field-clocks.ts): edits of
 *   different fields on two devices both survive. When both sides changed the same field of a
 *   note without seeing each other's write (version vectors, shared/sync/version-vector.ts), the
 *   version that lost by HLC is also kept whole as a conflict
 *   copy (a new draft with `conflictWith`) whose id is derived from (record id, loser version),
 *   so every device that detects the same conflict writes the same copy and the clinic converges.
 * - We have no deletes: entered-in-error meeting a concurrent edit keeps the edit (as a copy for
 *   notes) and the mark, because the mark is final.
 */
import type { AnyRecord } from '../../shared/model';
import { sha256 } from '../../shared/crypto/hash';
import { utf8 } from '../../shared/util/bytes';
import { uuidv7 } from '../../shared/util/ids';
import {
  SIGNABLE,
  assertLifecycleWrite,
  kindWords,
  signableContent,
} from '../../shared/rules/lifecycle';
import { compareHlc, hlcTime } from '../../shared/sync/hlc';
import { type VersionVector, dominates } from '../../shared/sync/version-vector';
import { canonicalJson } from '../../shared/crypto/hash';
import {
  type FieldClocks,
  conflictingFields,
  mergeDrafts,
  lostKeyedElement,
  mergedFields,
  remoteClocks,
  sameClocks,
} from './field-clocks';

export type MergeInput = {
  local: AnyRecord | undefined;
  remote: AnyRecord;
  /**
   * What each version has seen (shared/sync/version-vector.ts): the local one from this device's
   * seen row, the record's own clock and its field clocks; the remote one as sent in the change
   * with its own clocks. Concurrency is read from these, never from the order of the server's
   * sequence: an acknowledged push says nothing about what the server already held.
   */
  localSeen: VersionVector;
  remoteSeen: VersionVector;
  /** Per-field clocks of the local version and of the remote one (drafts only). */
  localClock?: FieldClocks;
  remoteClock?: FieldClocks;
};

/**
 * A version that lost a true conflict on a record kind that has no conflict copies (every kind
 * but notes: a second dose record or patient would read as a second dose or patient): kept whole,
 * with the fields it lost, for the sync panel to flag (sync-apply.ts stores it encrypted).
 */
export type LostVersion = { record: AnyRecord; fields: string[]; message: string };

export type MergeOutcome =
  | { action: 'ignore' }
  /** Write `record` (the remote version, or the field-by-field merge) with its field clocks. */
  | {
      action: 'apply';
      record: AnyRecord;
      clocks?: FieldClocks;
      copies?: AnyRecord[];
      lost?: LostVersion[];
    }
  | { action: 'keep'; copies: AnyRecord[]; lost?: LostVersion[] }
  | { action: 'reject'; message: string };

const isDraft = (r: AnyRecord) => r.status === 'draft';
const sameContent = (a: AnyRecord, b: AnyRecord) =>
  JSON.stringify(signableContent(a as never)) === JSON.stringify(signableContent(b as never));

export async function mergeRemote(input: MergeInput): Promise<MergeOutcome> {
  const { local, remote } = input;
  if (!local) {
    await assertNewRemote(remote);
    return { action: 'apply', record: remote };
  }
  if (isDraft(local) && isDraft(remote)) return mergeTwoDrafts(input, local);
  // A version this one has seen (an older autosave replayed, our own coming back) changes nothing,
  // however old: the vector remembers every version it descends from.
  if (dominates(input.localSeen, input.remoteSeen)) return { action: 'ignore' };
  if (local.updatedAt === remote.updatedAt) return { action: 'ignore' };

  if (!isDraft(local)) return mergeOntoFinal(local, remote);

  // The signature wins; draft text the signer never saw is kept beside it.
  await assertLifecycleWrite(local as never, remote as never);
  const unseen = !dominates(input.remoteSeen, input.localSeen);
  if (unseen && !sameContent(local, remote)) {
    if (local.kind === 'note')
      return { action: 'apply', record: remote, copies: [await conflictCopy(local, remote.id)] };
    const fields = changedFields(local, remote);
    if (fields.length)
      return { action: 'apply', record: remote, lost: [finalised(local, remote, fields)] };
  }
  return { action: 'apply', record: remote };
}

/**
 * Two drafts: merge per field (always, so that every device converges whatever order versions
 * arrive in), and keep the side that lost whole as a copy when a note's field was changed on both
 * sides without either seeing the other's write (both sides, when each lost a field).
 */
async function mergeTwoDrafts(input: MergeInput, local: AnyRecord): Promise<MergeOutcome> {
  const { remote, localSeen, remoteSeen } = input;
  const localClock = input.localClock ?? remoteClocks(local, undefined);
  const remoteClock = input.remoteClock ?? remoteClocks(remote, undefined);
  const merged = mergeDrafts(local, localClock, remote, remoteClock);
  const conflicts = conflictingFields(
    local,
    localClock,
    localSeen,
    remote,
    remoteClock,
    remoteSeen,
  );
  // A side whose value lost a contested field is kept whole: a note as a copy, any other kind
  // with the conflict flagged in the sync panel. Who lost is read from the field clocks the
  // merge went by, not from the records' clocks: a version merged and saved later can still
  // carry the older text of a field (the convergence property test found this).
  const copies: AnyRecord[] = [];
  const lost: LostVersion[] = [];
  const lostBy = (side: FieldClocks, record: AnyRecord) =>
    conflicts.filter(
      (f) => lostKeyedElement(local.kind, f, record, merged.record) ?? merged.clocks[f] !== side[f],
    );
  for (const [loser, winner, fields] of [
    [remote, local, lostBy(remoteClock, remote)],
    [local, remote, lostBy(localClock, local)],
  ] as const) {
    if (!fields.length) continue;
    if (local.kind === 'note') copies.push(await conflictCopy(loser, winner.id));
    else lost.push(concurrent(loser, merged.record, fields));
  }
  const unchanged =
    canonicalJson(merged.record) === canonicalJson(local) && sameClocks(merged.clocks, localClock);
  if (unchanged)
    return copies.length || lost.length ? { action: 'keep', copies, lost } : { action: 'ignore' };
  return { action: 'apply', record: merged.record, clocks: merged.clocks, copies, lost };
}

/**
 * A record first seen already marked in error arrives without its earlier states: check it as the
 * mark of the record it was (signed if it carries a signature, a draft otherwise).
 */
async function assertNewRemote(remote: AnyRecord) {
  if (remote.status !== 'entered-in-error') return assertLifecycleWrite(undefined, remote as never);
  const before = {
    ...remote,
    status: remote.signature ? 'signed' : 'draft',
    enteredInError: undefined,
  } as AnyRecord;
  await assertLifecycleWrite(undefined, before as never);
  await assertLifecycleWrite(before as never, remote as never);
}

async function mergeOntoFinal(local: AnyRecord, remote: AnyRecord): Promise<MergeOutcome> {
  if (remote.status === 'entered-in-error') {
    try {
      await assertLifecycleWrite(local as never, remote as never);
      return { action: 'apply', record: remote };
    } catch {
      if (local.status === 'entered-in-error' && sameContent(local, remote))
        return sameMark(local, remote) ? { action: 'ignore' } : twoMarks(local, remote);
    }
  }
  if (sameContent(local, remote)) return { action: 'ignore' };
  if (isDraft(remote) && remote.kind === 'note')
    return { action: 'keep', copies: [await conflictCopy(remote, local.id)] };
  if (isDraft(remote)) {
    const fields = changedFields(remote, local);
    if (fields.length)
      return { action: 'keep', copies: [], lost: [finalised(remote, local, fields)] };
  }
  return {
    action: 'reject',
    message:
      `Another device sent a change to a ${kindWords(local.kind)} that is already ` +
      `${local.status === 'signed' ? 'signed' : 'marked entered in error'}. Signed records never ` +
      'change, so the change was not applied. Corrections belong in an addendum.',
  };
}

/** The same copy on every device: its id and body depend only on the losing version. */
export async function conflictCopy(loser: AnyRecord, winnerId: string): Promise<AnyRecord> {
  return {
    ...loser,
    id: await copyId(loser.id, loser.updatedAt),
    conflictWith: winnerId,
  } as AnyRecord;
}

/** A UUIDv7 whose time is the losing edit's and whose random bits are a hash of (id, version). */
export async function copyId(recordId: string, version: string): Promise<string> {
  const digest = await sha256(utf8(`kat:conflict-copy|${recordId}|${version}`));
  return uuidv7(hlcTime(version), (n) => digest.slice(0, n));
}

/** The merged fields whose values differ between two versions. */
function changedFields(a: AnyRecord, b: AnyRecord): string[] {
  const v = (r: AnyRecord, f: string) => canonicalJson((r as Record<string, unknown>)[f] ?? null);
  return mergedFields(a, b).filter((f) => v(a, f) !== v(b, f));
}

/** Field names as people read them: `doseMg` → "dose mg". */
export function fieldWords(fields: readonly string[]): string {
  const words = fields.map((f) => f.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase());
  return words.length <= 1
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const withArticle = (words: string) => `${/^[aeiou]/.test(words) ? 'An' : 'A'} ${words}`;

function concurrent(loser: AnyRecord, merged: AnyRecord, fields: string[]): LostVersion {
  const signable = SIGNABLE.has(merged.kind);
  const what = signable ? `${kindWords(merged.kind)} draft` : `${kindWords(merged.kind)} record`;
  return {
    record: loser,
    fields,
    message:
      `${withArticle(what)} was changed on two computers at the same time ` +
      `(${fieldWords(fields)}). The change saved last is in the ${signable ? 'draft' : 'record'}; ` +
      `the other one is kept here. ${signable ? 'Check the draft before signing it.' : 'Check which is right.'}`,
  };
}

function finalised(loser: AnyRecord, final: AnyRecord, fields: string[]): LostVersion {
  return {
    record: loser,
    fields,
    message:
      `${withArticle(kindWords(final.kind))} was ${final.status === 'signed' ? 'signed' : 'marked entered in error'} ` +
      `on one computer while another computer was still changing its draft ` +
      `(${fieldWords(fields)}). The ${final.status === 'signed' ? 'signed' : 'marked'} version ` +
      'stands; the other changes are kept here. Add an addendum if they belong in the chart.',
  };
}

const sameMark = (a: AnyRecord, b: AnyRecord) =>
  canonicalJson(a.enteredInError ?? null) === canonicalJson(b.enteredInError ?? null);

/**
 * The same record marked entered in error on two computers at once: the mark with the later
 * clock stands on every computer (ties: the larger mark), and the other, with its reason, is
 * kept and flagged. Keeping whichever came first diverged (each computer kept its own).
 */
function twoMarks(local: AnyRecord, remote: AnyRecord): MergeOutcome {
  const c = compareHlc(remote.updatedAt, local.updatedAt);
  const remoteWins =
    c !== 0
      ? c > 0
      : canonicalJson(remote.enteredInError ?? null) > canonicalJson(local.enteredInError ?? null);
  const [winner, loser] = remoteWins ? [remote, local] : [local, remote];
  const lost: LostVersion = {
    record: loser,
    fields: ['enteredInError'],
    message:
      `${withArticle(kindWords(winner.kind))} was marked entered in error on two computers at ` +
      'the same time. The mark saved last stands; the other, with its reason, is kept here.',
  };
  return remoteWins
    ? { action: 'apply', record: remote, lost: [lost] }
    : { action: 'keep', copies: [], lost: [lost] };
}
