/**
 * Applying a pulled page: every remote record passes the same checks as a local write (schema,
 * clinic, clocks, lifecycle via the merge policy, and the checks plugged into `checks`), and the
 * page's records, conflict copies, sync bookkeeping, held changes and the advanced cursor commit
 * in ONE Dexie transaction (SYNC.md rules 7 and 12). Crypto runs before the transaction:
 * IndexedDB commits a transaction as soon as it waits on anything else.
 *
 * A change that cannot apply yet is held (sync-held.ts) below the cursor and retried every round;
 * the engine passes held bundles back in with `retrying` (and no position), and this module
 * updates or releases them in the same transaction as what they applied.
 */
import type { AnyRecord } from '../../shared/model';
import { RuleError } from '../../shared/rules/errors';
import type { BundleChange } from '../../shared/sync/bundle';
import { ClockDriftError, type HybridClock } from '../../shared/sync/hlc';
import { uuidv7 } from '../../shared/util/ids';
import { vvFromList, vvJoin, vvOf } from '../../shared/sync/version-vector';
import { type FieldBase, type FieldClocks, localClocks, remoteClocks } from '../sync/field-clocks';
import { type LostVersion, type MergeOutcome, mergeRemote } from '../sync/merge';
import { chainCheck } from '../trust/incoming';
import { type HeldAuthor, recordDigest } from '../../shared/trust/change-author';
import { applyRemoteAuditEvents } from './audit-sync';
import { bulkGetExisting } from './bulk-read';
import type { KatDatabase, OutboxRow, RecordRow } from './database';
import {
  ACCEPT,
  type IncomingCheck,
  type IncomingVerdict,
  clockCheck,
  identityCheck,
  parseIncoming,
} from './incoming-checks';
import { type RestKeys, encryptRecord, indexFields, openRecordRow } from './record-crypto';
import type { HeldBundle, HeldChange, HoldWhy } from './sync-held';
import {
  type SeenRow,
  type SyncIssue,
  type SyncPosition,
  addSeen,
  seenVector,
  syncTables,
  writePosition,
} from './sync-state';

export type ApplyContext = RestKeys & {
  db: KatDatabase;
  clinicId: string;
  clock: HybridClock;
  /**
   * Further checks of incoming changes, run in order after the built-in ones (schema and clinic,
   * clocks): a verdict of `hold` keeps the change waiting, `quarantine` sets it aside for good.
   */
  checks?: readonly IncomingCheck[];
};

export type RemoteBundle = {
  seq: number;
  bundleId: string;
  fromDevice: string;
  /** The bundle as pulled: kept when part of it is held, or as evidence when quarantined. */
  bytes?: Uint8Array;
  changes: BundleChange[];
  /** It could not be opened yet (a key version or device not known here yet): held whole. */
  hold?: HoldWhy;
  /** It can never be opened (bad signature, bad tag, malformed): quarantined, in these words. */
  quarantine?: string;
  /** A held bundle tried again: its row is updated, or removed once nothing of it waits. */
  retrying?: HeldBundle;
};

export type ApplyResult = {
  /** Records written (remote versions and conflict copies), for listeners such as the patient index. */
  written: AnyRecord[];
  conflicts: number;
  rejected: number;
  /** Changes (or unopened bundles) held for a retry by this page. */
  held: number;
  /** Held changes this page applied at last. */
  released: number;
  quarantined: number;
};

class LocalChangedMeanwhile extends Error {}

/**
 * Apply one page and advance the cursor with it (`position`; none when retrying held bundles).
 * Retries when a local edit lands in between.
 */
export async function applyRemotePage(
  ctx: ApplyContext,
  bundles: RemoteBundle[],
  position: SyncPosition | undefined,
): Promise<ApplyResult> {
  // Issue 7 (helper D): audit events are not records; they are stored append-only on their own
  // (audit-sync.ts, idempotent), and only record changes go on from here.
  const audit = { db: ctx.db, clinicId: ctx.clinicId, localDeviceId: ctx.clock.node };
  const recordBundles = await applyRemoteAuditEvents(audit, bundles);
  for (let attempt = 0; ; attempt++) {
    try {
      return await applyOnce(ctx, recordBundles, position);
    } catch (e) {
      if (!(e instanceof LocalChangedMeanwhile) || attempt >= 5) throw e;
    }
  }
}

type Issue = Omit<SyncIssue, 'id'>;

async function applyOnce(
  ctx: ApplyContext,
  bundles: RemoteBundle[],
  position: SyncPosition | undefined,
): Promise<ApplyResult> {
  const { db } = ctx;
  const t = syncTables(db);
  const ids = [...new Set(bundles.flatMap((b) => b.changes.map((c) => recordIdOf(c.record))))];
  const [rows, seenRows] = await Promise.all([
    bulkGetExisting(db.records, ids),
    bulkGetExisting(t.seen, ids),
  ]);
  const readAt = new Map(ids.map((id, i) => [id, rows[i]?.updatedAt ?? null]));
  const local = new Map<string, AnyRecord>();
  for (const row of rows) if (row) local.set(row.id, await openRecordRow(row, ctx, ctx.clinicId));
  const seen = new Map<string, SeenRow>();
  seenRows.forEach((r) => r && seen.set(r.recordId, r));
  // A record first taken in as a final version gets no seen row: the one version it has seen is
  // the stored record's own clock, implied wherever the row is read (below), and such records are
  // most of an initial pull (a row each was 20 % of its time). Drafts keep rows for their base.
  const implied = new Set<string>();
  const seenOf = (id: string) => seen.get(id) ?? impliedSeen(local.get(id));

  const writes = new Map<string, AnyRecord>();
  /** The author's signature kept with a version written as it came (change-author.ts). */
  const authors = new Map<string, HeldAuthor>();
  const copies: AnyRecord[] = [];
  const issues: Issue[] = [];
  const heldRows: HeldBundle[] = [];
  const lostVersions: { bundle: RemoteBundle; lost: LostVersion }[] = [];
  const released: string[] = [];
  const result: ApplyResult = {
    written: [],
    conflicts: 0,
    rejected: 0,
    held: 0,
    released: 0,
    quarantined: 0,
  };
  const now = new Date().toISOString();
  const issue = (
    b: RemoteBundle,
    i: Omit<SyncIssue, 'id' | 'at' | 'bundleId' | 'seq' | 'fromDevice'>,
  ) => issues.push({ ...i, at: now, bundleId: b.bundleId, seq: b.seq, fromDevice: b.fromDevice });
  // The membership chain's check (renderer/trust/incoming.ts) is built in: issue 13 point 4.
  const checks: IncomingCheck[] = [
    clockCheck(ctx.clock),
    identityCheck,
    chainCheck(db),
    ...(ctx.checks ?? []),
  ];

  /** Opens the stored row of a record's base version (field-clocks.ts). */
  const openBase = (id: string) => (row: NonNullable<FieldBase['row']>) =>
    openRecordRow({ ...row, id }, ctx, ctx.clinicId);

  for (const bundle of bundles) {
    if (bundle.quarantine) {
      result.quarantined++;
      issue(bundle, {
        kind: 'quarantined-bundle',
        message: bundle.quarantine,
        bytes: bundle.bytes,
      });
      if (bundle.retrying) released.push(bundle.bundleId);
      continue;
    }
    if (bundle.hold) {
      result.held++;
      heldRows.push(heldRow(bundle, { whole: bundle.hold }, now));
      continue;
    }
    const waiting: HeldChange[] = [];
    for (const change of bundle.changes) {
      const parsed = parseIncoming(change.record, ctx.clinicId);
      const here = parsed.ok ? local.get(parsed.record.id) : undefined;
      const verdict = parsed.ok
        ? await vet(checks, { record: parsed.record, change, bundle, local: here })
        : parsed.verdict;
      if (verdict.verdict === 'hold') {
        const { verdict: _v, ...why } = verdict;
        waiting.push({ ...why, changeId: change.changeId, recordId: recordIdOf(change.record) });
        continue;
      }
      if (verdict.verdict === 'quarantine') {
        result.rejected++;
        const { message } = verdict;
        issue(bundle, { kind: 'rejected-change', message, recordId: recordIdOf(change.record) });
        continue;
      }
      if (!parsed.ok) continue; // (a failed parse always carries a hold or quarantine verdict)
      const { note } = verdict;
      const remote = parsed.record;
      try {
        ctx.clock.receive(remote.updatedAt);
      } catch (e) {
        // The clock check above holds clocks too far ahead; this is its twin inside the HLC.
        if (!(e instanceof ClockDriftError)) throw e;
        waiting.push({ changeId: change.changeId, reason: 'clock-ahead', message: e.message });
        continue;
      }
      const base = seen.get(remote.id)?.base;
      const remoteClock = remoteClocks(remote, change.fields);
      // Field clocks matter only where two drafts merge; nothing is computed for the rest.
      const bothDrafts = here?.status === 'draft' && remote.status === 'draft';
      const localClock = bothDrafts
        ? await localClocks(here, base, openBase(remote.id))
        : undefined;
      const localSeen = here
        ? vvJoin(seenVector(seenOf(remote.id)), vvOf(here.updatedAt, ...values(localClock)))
        : {};
      const remoteSeen = vvJoin(
        vvFromList(change.seen),
        vvOf(remote.updatedAt, ...values(remoteClock)),
      );
      let outcome: MergeOutcome;
      try {
        outcome = await mergeRemote({
          local: here,
          remote,
          localSeen,
          remoteSeen,
          localClock,
          remoteClock,
        });
      } catch (e) {
        if (!(e instanceof RuleError)) throw e;
        outcome = {
          action: 'reject',
          message: `A change from another device was refused: ${e.message}`,
        };
      }
      if (note && outcome.action !== 'ignore')
        issue(bundle, { kind: 'taken-with-note', message: note, recordId: remote.id });
      if (outcome.action === 'reject') {
        // Not marked seen: what a refused change claims to have seen is not taken on trust.
        result.rejected++;
        issue(bundle, { kind: 'rejected-change', message: outcome.message, recordId: remote.id });
        continue;
      }
      const firstSight = !here && !seen.has(remote.id);
      // Both versions are now seen here: a replay of either changes nothing.
      seen.set(remote.id, addSeen(seenOf(remote.id), remote.id, vvJoin(localSeen, remoteSeen)));
      implied.delete(remote.id);
      if (outcome.action === 'apply') {
        const { record } = outcome;
        if (
          firstSight &&
          record.status !== 'draft' &&
          record.updatedAt === remote.updatedAt &&
          Object.keys(remoteSeen).length === 1
        )
          implied.add(remote.id);
        local.set(remote.id, record);
        writes.set(remote.id, record);
        // Kept with the version when it is the one the author signed (the incoming check verified
        // it), so a push from here (a re-offer) carries it on; a merge made here has none.
        const digest = change.author && (await recordDigest(change.record));
        if (change.author && digest === (await recordDigest(record)))
          authors.set(remote.id, { ...change.author, digest });
        else authors.delete(remote.id);
        // Its field clocks, for the next merge and the next push (field-clocks.ts); its stored
        // row is attached once encrypted, below.
        const row = seen.get(remote.id)!;
        if (record.status === 'draft') {
          const clocks = outcome.clocks ?? remoteClock;
          seen.set(remote.id, { ...row, base: { hlc: record.updatedAt, clocks } });
        } else if (row.base) seen.set(remote.id, { ...row, base: undefined });
      }
      if (outcome.action !== 'ignore')
        for (const l of outcome.lost ?? []) lostVersions.push({ bundle, lost: l });
      const made = outcome.action === 'ignore' ? [] : (outcome.copies ?? []);
      if (made.length) result.conflicts++;
      for (const copy of made)
        if (local.get(copy.id)?.updatedAt !== copy.updatedAt) {
          local.set(copy.id, copy);
          writes.set(copy.id, copy);
          copies.push(copy);
        }
    }
    const wasHeld = bundle.retrying?.changes?.length ?? (bundle.retrying ? 1 : 0);
    if (waiting.length) {
      heldRows.push(heldRow(bundle, { changes: waiting }, now));
      result.held += waiting.length;
      result.released += Math.max(0, wasHeld - waiting.length);
    } else if (bundle.retrying) {
      released.push(bundle.bundleId);
      result.released += wasHeld;
    }
  }

  const encrypted: RecordRow[] = await Promise.all(
    [...writes.values()].map(async (r) => {
      const row = await encryptRecord(r, ctx.dataKey, ctx.keyVersion, indexFields(r));
      const author = authors.get(r.id);
      return author ? { ...row, author } : row;
    }),
  );
  // A version that lost a true conflict (a kind without conflict copies) is kept with the issue
  // that flags it, encrypted like the records (merge.ts, LostVersion).
  for (const { bundle, lost } of lostVersions) {
    const row = await encryptRecord(
      lost.record,
      ctx.dataKey,
      ctx.keyVersion,
      indexFields(lost.record),
    );
    result.conflicts++;
    issue(bundle, {
      kind: 'merge-conflict',
      message: lost.message,
      recordId: lost.record.id,
      fields: lost.fields,
      lost: { kind: row.kind, keyVersion: row.keyVersion, iv: row.iv, ct: row.ct },
    });
  }
  for (const r of encrypted) {
    const base = seen.get(r.id)?.base;
    if (base?.hlc === r.updatedAt)
      base.row = { kind: r.kind, keyVersion: r.keyVersion, iv: r.iv, ct: r.ct };
  }
  const outbox: OutboxRow[] = copies.map((c) => ({
    changeId: uuidv7(),
    recordId: c.id,
    kind: c.kind,
    hlc: c.updatedAt,
  }));
  const tables = [db.records, db.outbox, db.meta, t.issues, t.seen, db.syncHeld];
  await db.transaction('rw', tables, async () => {
    const current = await bulkGetExisting(db.records, ids);
    current.forEach((row, i) => {
      if ((row?.updatedAt ?? null) !== readAt.get(ids[i]!)) throw new LocalChangedMeanwhile();
    });
    if (encrypted.length) await db.records.bulkPut(encrypted);
    if (outbox.length) await db.outbox.bulkAdd(outbox);
    const fresh = await newIssues(db, issues);
    if (fresh.length) await t.issues.bulkAdd(fresh);
    await t.seen.bulkPut([...seen.values()].filter((r) => !implied.has(r.recordId)));
    if (released.length) await db.syncHeld.bulkDelete(released);
    if (heldRows.length) await db.syncHeld.bulkPut(heldRows);
    await db.meta.put({ key: 'hlc', value: ctx.clock.latest });
    if (position) await writePosition(db, position);
  });
  result.written = [...writes.values()];
  return result;
}

/** The first verdict that is not `accept`, checks run in order (else an accept with its notes). */
async function vet(
  checks: readonly IncomingCheck[],
  input: Parameters<IncomingCheck>[0],
): Promise<IncomingVerdict> {
  const notes: string[] = [];
  for (const check of checks) {
    const v = await check(input);
    if (v.verdict !== 'accept') return v;
    if (v.note) notes.push(v.note);
  }
  return notes.length ? { verdict: 'accept', note: notes.join(' ') } : ACCEPT;
}

function heldRow(
  bundle: RemoteBundle,
  what: Pick<HeldBundle, 'whole' | 'changes'>,
  now: string,
): HeldBundle {
  const before = bundle.retrying;
  return {
    bundleId: bundle.bundleId,
    seq: bundle.seq,
    fromDevice: bundle.fromDevice,
    bytes: bundle.bytes ?? before?.bytes ?? new Uint8Array(),
    ...what,
    heldAt: before?.heldAt ?? now,
    lastTriedAt: before ? now : undefined,
    tries: before ? before.tries + 1 : 0,
  };
}

/**
 * The issues not already listed (a replayed page, or a retried bundle, reports its problem once).
 */
async function newIssues(db: KatDatabase, issues: Issue[]): Promise<Issue[]> {
  if (!issues.length) return [];
  const key = (i: Issue) => `${i.kind}|${i.bundleId}|${i.recordId ?? ''}|${i.message}`;
  const kinds = [...new Set(issues.map((i) => i.kind))];
  const open = await syncTables(db).issues.where('kind').anyOf(kinds).toArray();
  const listed = new Set(open.filter((i) => !i.resolved).map(key));
  const out: Issue[] = [];
  for (const i of issues) {
    if (listed.has(key(i))) continue;
    out.push(i);
    listed.add(key(i));
  }
  return out;
}

function recordIdOf(record: unknown): string {
  const id = (record as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : '';
}

/** What a final record stored without a seen row has seen: its own clock. */
function impliedSeen(record: AnyRecord | undefined): SeenRow | undefined {
  if (!record || record.status === 'draft') return undefined;
  return { recordId: record.id, vv: vvOf(record.updatedAt) };
}

const values = (clocks: FieldClocks | undefined) => Object.values(clocks ?? {});
