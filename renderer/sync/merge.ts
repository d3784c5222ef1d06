/**
 * The merge policy for one remote version of a record meeting what this device holds (SYNC.md
 * rules 3 and 4). Pure: the caller reads the local state and writes the outcome.
 *
 * - Signed is final: a remote draft or a different signed body never replaces a signed record;
 *   the only change accepted is the entered-in-error mark of the same content.
 * - Drafts merge field by field, last writer wins per field by HLC (field-clocks.ts): edits of
 *   different fields on two devices both survive. When both sides changed the same field of a
 *   note since they last agreed, the version that lost by HLC is also kept whole as a conflict
 *   copy (a new draft with `conflictWith`) whose id is derived from (record id, loser version),
 *   so every device that detects the same conflict writes the same copy and the clinic converges.
 * - We have no deletes: entered-in-error meeting a concurrent edit keeps the edit (as a copy for
 *   notes) and the mark, because the mark is final.
 */
import type { AnyRecord } from '../../shared/model';
import { sha256 } from '../../shared/crypto/hash';
import { utf8 } from '../../shared/util/bytes';
import { uuidv7 } from '../../shared/util/ids';
import { assertLifecycleWrite, kindWords, signableContent } from '../../shared/rules/lifecycle';
import { hlcTime, parseHlc } from '../../shared/sync/hlc';
import type { PushedRow } from '../db/sync-state';
import { canonicalJson } from '../../shared/crypto/hash';
import {
  type FieldBase,
  type FieldClocks,
  conflictingFields,
  mergeDrafts,
  remoteClocks,
  sameClocks,
} from './field-clocks';

export type MergeInput = {
  local: AnyRecord | undefined;
  remote: AnyRecord;
  /** This device has local edits of the record not yet acknowledged by the server. */
  pendingLocal: boolean;
  /** Remote versions of this record this device has already taken in. */
  seen: readonly string[];
  pushed: PushedRow | undefined;
  /** Server sequence of the bundle carrying `remote`. */
  seq: number;
  /** This device's HLC node id: versions stamped with it were written here. */
  node: string;
  /** Per-field clocks of the local version, of the remote one, and of the last agreed version. */
  localClock?: FieldClocks;
  remoteClock?: FieldClocks;
  base?: FieldBase;
};

export type MergeOutcome =
  | { action: 'ignore' }
  /** Write `record` (the remote version, or the field-by-field merge) with its field clocks. */
  | { action: 'apply'; record: AnyRecord; clocks?: FieldClocks; copies?: AnyRecord[] }
  | { action: 'keep'; copies: AnyRecord[] }
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
  if (local.updatedAt === remote.updatedAt) return { action: 'ignore' };
  // A version seen before, or written here, is an ancestor of what we hold (or already merged).
  if (isAncestor(input)) return { action: 'ignore' };

  if (!isDraft(local)) return mergeOntoFinal(local, remote);

  // The signature wins; unsent draft text that the signer never saw is kept beside it.
  await assertLifecycleWrite(local as never, remote as never);
  const concurrent = input.pendingLocal || pushedWithoutSeeing(input);
  if (concurrent && local.kind === 'note' && !sameContent(local, remote))
    return { action: 'apply', record: remote, copies: [await conflictCopy(local, remote.id)] };
  return { action: 'apply', record: remote };
}

const isAncestor = (input: MergeInput) =>
  input.seen.includes(input.remote.updatedAt) || writtenHere(input);

/**
 * A version this device wrote itself, coming back: its clock and every field's clock are this
 * device's. A draft merged on another device keeps the newer input's clock, which may be ours,
 * while its fields carry text we never saw (the convergence property test found one lost so).
 */
const writtenHere = ({ remote, remoteClock, node }: MergeInput) =>
  parseHlc(remote.updatedAt).node === node &&
  Object.values(remoteClock ?? {}).every((c) => parseHlc(c).node === node);

/**
 * Two drafts: merge per field (always, so that every device converges whatever order versions
 * arrive in), and keep the side that lost whole as a copy when a note's field was changed on both
 * sides concurrently (both sides, when each lost a field). An ancestor (seen before, or written
 * here) never makes a copy.
 */
async function mergeTwoDrafts(input: MergeInput, local: AnyRecord): Promise<MergeOutcome> {
  const { remote } = input;
  const localClock = input.localClock ?? remoteClocks(local, undefined);
  const remoteClock = input.remoteClock ?? remoteClocks(remote, undefined);
  const merged = mergeDrafts(local, localClock, remote, remoteClock);
  const concurrent = input.pendingLocal || pushedWithoutSeeing(input);
  const conflicts =
    // Not `isAncestor`: a draft merged on two devices can reach a third under one clock with two
    // contents, so "seen this clock before" says nothing about its fields; the base does.
    local.kind === 'note' && concurrent && !writtenHere(input)
      ? conflictingFields(local, localClock, remote, remoteClock, input.base, input.node)
      : [];
  // A side whose text lost a contested field is kept whole as a copy. Who lost is read from the
  // field clocks the merge went by, not from the records' clocks: a version merged and saved
  // later can still carry the older text of a field (the convergence property test found this).
  const copies: AnyRecord[] = [];
  if (conflicts.some((f) => merged.clocks[f] === localClock[f]))
    copies.push(await conflictCopy(remote, local.id));
  if (conflicts.some((f) => merged.clocks[f] === remoteClock[f]))
    copies.push(await conflictCopy(local, remote.id));
  const unchanged =
    canonicalJson(merged.record) === canonicalJson(local) && sameClocks(merged.clocks, localClock);
  if (unchanged) return copies.length ? { action: 'keep', copies } : { action: 'ignore' };
  return { action: 'apply', record: merged.record, clocks: merged.clocks, copies };
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

/** Our pushed version and the remote one were stored by the server without either seeing the other. */
function pushedWithoutSeeing({ pushed, local, seq }: MergeInput): boolean {
  return (
    !!pushed &&
    !!local &&
    pushed.hlc === local.updatedAt &&
    seq > pushed.afterCursor &&
    seq < pushed.seq
  );
}

async function mergeOntoFinal(local: AnyRecord, remote: AnyRecord): Promise<MergeOutcome> {
  if (remote.status === 'entered-in-error') {
    try {
      await assertLifecycleWrite(local as never, remote as never);
      return { action: 'apply', record: remote };
    } catch {
      if (local.status === 'entered-in-error' && sameContent(local, remote))
        return { action: 'ignore' };
    }
  }
  if (sameContent(local, remote)) return { action: 'ignore' };
  if (isDraft(remote) && remote.kind === 'note')
    return { action: 'keep', copies: [await conflictCopy(remote, local.id)] };
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
