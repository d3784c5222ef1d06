/**
 * The merge policy for one remote version of a record meeting what this device holds (SYNC.md
 * rules 3 and 4). Pure: the caller reads the local state and writes the outcome.
 *
 * - Signed is final: a remote draft or a different signed body never replaces a signed record;
 *   the only change accepted is the entered-in-error mark of the same content.
 * - Drafts: last writer wins by HLC, unless both sides changed since they last agreed. Then both
 *   versions stay: the HLC winner keeps the record id and the other becomes a conflict copy (a
 *   new draft with `conflictWith`) whose id is derived from (record id, loser version), so every
 *   device that detects the same conflict writes the same copy and the clinic converges.
 * - We have no deletes: entered-in-error meeting a concurrent edit keeps the edit (as a copy for
 *   notes) and the mark, because the mark is final.
 */
import type { AnyRecord } from '../../shared/model';
import { sha256 } from '../../shared/crypto/hash';
import { utf8 } from '../../shared/util/bytes';
import { uuidv7 } from '../../shared/util/ids';
import { assertLifecycleWrite, kindWords, signableContent } from '../../shared/rules/lifecycle';
import { compareHlc, hlcTime, parseHlc } from '../../shared/sync/hlc';
import type { PushedRow } from '../db/sync-state';

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
};

export type MergeOutcome =
  | { action: 'ignore' }
  | { action: 'apply'; copy?: AnyRecord }
  | { action: 'keep'; copy: AnyRecord }
  | { action: 'reject'; message: string };

const isDraft = (r: AnyRecord) => r.status === 'draft';
const sameContent = (a: AnyRecord, b: AnyRecord) =>
  JSON.stringify(signableContent(a as never)) === JSON.stringify(signableContent(b as never));

export async function mergeRemote(input: MergeInput): Promise<MergeOutcome> {
  const { local, remote } = input;
  if (!local) {
    await assertNewRemote(remote);
    return { action: 'apply' };
  }
  if (local.updatedAt === remote.updatedAt) return { action: 'ignore' };
  // A version seen before, or written here, is an ancestor of what we hold (or already merged).
  if (input.seen.includes(remote.updatedAt) || parseHlc(remote.updatedAt).node === input.node)
    return { action: 'ignore' };

  if (!isDraft(local)) return mergeOntoFinal(local, remote);

  const concurrent = input.pendingLocal || pushedWithoutSeeing(input);
  if (!isDraft(remote)) {
    await assertLifecycleWrite(local as never, remote as never);
    // The signature wins; unsent draft text that the signer never saw is kept beside it.
    if (concurrent && local.kind === 'note' && !sameContent(local, remote))
      return { action: 'apply', copy: await conflictCopy(local, remote.id) };
    return { action: 'apply' };
  }
  const remoteNewer = compareHlc(remote.updatedAt, local.updatedAt) > 0;
  if (!concurrent || local.kind !== 'note' || sameContent(local, remote))
    return remoteNewer ? { action: 'apply' } : { action: 'ignore' };
  if (remoteNewer) return { action: 'apply', copy: await conflictCopy(local, remote.id) };
  return { action: 'keep', copy: await conflictCopy(remote, local.id) };
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
      return { action: 'apply' };
    } catch {
      if (local.status === 'entered-in-error' && sameContent(local, remote))
        return { action: 'ignore' };
    }
  }
  if (sameContent(local, remote)) return { action: 'ignore' };
  if (isDraft(remote) && remote.kind === 'note')
    return { action: 'keep', copy: await conflictCopy(remote, local.id) };
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
