/**
 * Applying a pulled page: every remote record passes the same checks as a local write (schema,
 * clinic, lifecycle via the merge policy, HLC receive with the drift limit), and the page's
 * records, conflict copies, sync bookkeeping and the advanced cursor commit in ONE Dexie
 * transaction (SYNC.md rules 7 and 12). Crypto runs before the transaction: IndexedDB commits a
 * transaction as soon as it waits on anything else.
 */
import { AnyRecord } from '../../shared/model';
import { RuleError } from '../../shared/rules/errors';
import type { BundleChange } from '../../shared/sync/bundle';
import { ClockDriftError, type HybridClock } from '../../shared/sync/hlc';
import { uuidv7 } from '../../shared/util/ids';
import { type FieldBase, type FieldClocks, localClocks, remoteClocks } from '../sync/field-clocks';
import { mergeRemote } from '../sync/merge';
import { applyRemoteAuditEvents } from './audit-sync';
import { bulkGetExisting } from './bulk-read';
import type { KatDatabase, OutboxRow, RecordRow } from './database';
import { decryptRecord, encryptRecord, indexFields } from './record-crypto';
import {
  type SeenRow,
  type SyncIssue,
  type SyncPosition,
  addSeen,
  syncTables,
  writePosition,
} from './sync-state';

export type ApplyContext = {
  db: KatDatabase;
  clinicId: string;
  dataKey: CryptoKey;
  keyVersion: number;
  clock: HybridClock;
};

export type RemoteBundle = {
  seq: number;
  bundleId: string;
  fromDevice: string;
  /** Kept with a clock-drift issue so the bundle can be applied once the clocks agree. */
  bytes?: Uint8Array;
  changes: BundleChange[];
};

export type ApplyResult = {
  /** Records written (remote versions and conflict copies), for listeners such as the patient index. */
  written: AnyRecord[];
  conflicts: number;
  rejected: number;
  drifted: number;
};

class LocalChangedMeanwhile extends Error {}

/** Apply one page and advance the cursor with it. Retries when a local edit lands in between. */
export async function applyRemotePage(
  ctx: ApplyContext,
  bundles: RemoteBundle[],
  position: SyncPosition,
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

async function applyOnce(
  ctx: ApplyContext,
  bundles: RemoteBundle[],
  position: SyncPosition,
): Promise<ApplyResult> {
  const { db } = ctx;
  const t = syncTables(db);
  const ids = [...new Set(bundles.flatMap((b) => b.changes.map((c) => recordIdOf(c.record))))];
  const [rows, seenRows, pushedRows, pendingRows] = await Promise.all([
    bulkGetExisting(db.records, ids),
    bulkGetExisting(t.seen, ids),
    bulkGetExisting(t.pushed, ids),
    db.outbox.where('recordId').anyOf(ids).toArray(),
  ]);
  const readAt = new Map(ids.map((id, i) => [id, rows[i]?.updatedAt ?? null]));
  const local = new Map<string, AnyRecord>();
  for (const row of rows)
    if (row) local.set(row.id, await decryptRecord(row, ctx.dataKey, ctx.clinicId));
  const seen = new Map<string, SeenRow>();
  seenRows.forEach((r) => r && seen.set(r.recordId, r));
  // A record first taken in as a final version gets no seen row: the one version it has seen is
  // the stored record's own clock, implied wherever the row is read (below), and such records are
  // most of an initial pull (a row each was 20 % of its time). Drafts keep rows for their base.
  const implied = new Set<string>();
  const seenOf = (id: string) => seen.get(id) ?? impliedSeen(local.get(id));
  const pushed = new Map(pushedRows.filter((r) => !!r).map((r) => [r.recordId, r]));
  const pending = new Set(pendingRows.map((r) => r.recordId));

  const writes = new Map<string, AnyRecord>();
  const copies: AnyRecord[] = [];
  const issues: Omit<SyncIssue, 'id'>[] = [];
  const result: ApplyResult = { written: [], conflicts: 0, rejected: 0, drifted: 0 };
  const issue = (i: Omit<SyncIssue, 'id' | 'at'>) =>
    issues.push({ ...i, at: new Date().toISOString() });

  /** Opens the stored row of a record's base version (field-clocks.ts). */
  const openBase = (id: string) => (row: NonNullable<FieldBase['row']>) =>
    decryptRecord(
      { ...row, id, patientId: '', date: '', status: 'draft', updatedAt: '' },
      ctx.dataKey,
      ctx.clinicId,
    );

  for (const bundle of bundles) {
    let driftReported = false;
    for (const change of bundle.changes) {
      const parsed = AnyRecord.safeParse(change.record);
      if (!parsed.success || parsed.data.clinicId !== ctx.clinicId) {
        result.rejected++;
        issue({
          kind: 'rejected-change',
          message:
            'A record from another device did not pass the checks of this version of KAT Chart, ' +
            'so it was not applied. Update KAT Chart on every device.',
          bundleId: bundle.bundleId,
          seq: bundle.seq,
          fromDevice: bundle.fromDevice,
        });
        continue;
      }
      const remote = parsed.data;
      try {
        ctx.clock.receive(remote.updatedAt);
      } catch (e) {
        if (!(e instanceof ClockDriftError)) throw e;
        result.drifted++;
        if (!driftReported)
          issue({
            kind: 'clock-drift',
            message: e.message,
            bundleId: bundle.bundleId,
            seq: bundle.seq,
            fromDevice: bundle.fromDevice,
            bytes: bundle.bytes,
          });
        driftReported = true;
        continue;
      }
      const here = local.get(remote.id);
      const base = seen.get(remote.id)?.base;
      const remoteClock = remoteClocks(remote, change.fields);
      // Field clocks matter only where two drafts merge; nothing is computed for the rest.
      const bothDrafts = here?.status === 'draft' && remote.status === 'draft';
      let outcome;
      try {
        outcome = await mergeRemote({
          local: here,
          remote,
          pendingLocal: pending.has(remote.id),
          seen: seenOf(remote.id)?.versions ?? [],
          pushed: pushed.get(remote.id),
          seq: bundle.seq,
          node: ctx.clock.node,
          localClock: bothDrafts ? await localClocks(here, base, openBase(remote.id)) : undefined,
          remoteClock,
          base,
        });
      } catch (e) {
        if (!(e instanceof RuleError)) throw e;
        outcome = {
          action: 'reject' as const,
          message: `A change from another device was refused: ${e.message}`,
        };
      }
      const firstSight = !here && !seen.has(remote.id);
      seen.set(remote.id, addSeen(seenOf(remote.id), remote.id, remote.updatedAt));
      implied.delete(remote.id);
      if (outcome.action === 'reject') {
        result.rejected++;
        issue({
          kind: 'rejected-change',
          message: outcome.message,
          bundleId: bundle.bundleId,
          seq: bundle.seq,
          fromDevice: bundle.fromDevice,
          recordId: remote.id,
        });
        continue;
      }
      if (outcome.action === 'apply') {
        const { record } = outcome;
        if (firstSight && record.status !== 'draft' && record.updatedAt === remote.updatedAt)
          implied.add(remote.id);
        local.set(remote.id, record);
        writes.set(remote.id, record);
        // What both sides now agree on, for the next merge and the next push (field-clocks.ts).
        const row = seen.get(remote.id)!;
        // (Its stored row is attached once encrypted, below.)
        if (record.status === 'draft') {
          const clocks = outcome.clocks ?? remoteClock;
          const agreed = agreedWhereOurs(clocks, remoteClock);
          seen.set(remote.id, { ...row, base: { hlc: record.updatedAt, clocks, agreed } });
        } else if (row.base) seen.set(remote.id, { ...row, base: undefined });
      }
      const made = outcome.action === 'ignore' ? [] : (outcome.copies ?? []);
      if (made.length) result.conflicts++;
      for (const copy of made)
        if (local.get(copy.id)?.updatedAt !== copy.updatedAt) {
          local.set(copy.id, copy);
          writes.set(copy.id, copy);
          copies.push(copy);
        }
    }
  }

  const encrypted: RecordRow[] = await Promise.all(
    [...writes.values()].map((r) => encryptRecord(r, ctx.dataKey, ctx.keyVersion, indexFields(r))),
  );
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
  const tables = [db.records, db.outbox, db.meta, t.issues, t.seen];
  await db.transaction('rw', tables, async () => {
    const now = await bulkGetExisting(db.records, ids);
    now.forEach((row, i) => {
      if ((row?.updatedAt ?? null) !== readAt.get(ids[i]!)) throw new LocalChangedMeanwhile();
    });
    if (encrypted.length) await db.records.bulkPut(encrypted);
    if (outbox.length) await db.outbox.bulkAdd(outbox);
    if (issues.length) await t.issues.bulkAdd(issues);
    await t.seen.bulkPut([...seen.values()].filter((r) => !implied.has(r.recordId)));
    await db.meta.put({ key: 'hlc', value: ctx.clock.latest });
    await writePosition(db, position);
  });
  result.written = [...writes.values()];
  return result;
}

function recordIdOf(record: unknown): string {
  const id = (record as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : '';
}

/** The seen versions of a final record stored without a seen row: just its own. */
function impliedSeen(record: AnyRecord | undefined): SeenRow | undefined {
  if (!record || record.status === 'draft') return undefined;
  return { recordId: record.id, versions: [record.updatedAt] };
}

/**
 * The fields of a merge that kept this device's own value, with the other side's clocks of them:
 * what was agreed on for those fields is the other side's version, not our unsent edit.
 */
function agreedWhereOurs(merged: FieldClocks, remote: FieldClocks): FieldClocks | undefined {
  const out: FieldClocks = {};
  for (const [f, c] of Object.entries(merged))
    if (remote[f] !== undefined && remote[f] !== c) out[f] = remote[f];
  return Object.keys(out).length ? out : undefined;
}
