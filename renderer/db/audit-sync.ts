/**
 * Audit events travel like records (issue 7): each event this computer appends gets an outbox row
 * in the same transaction (audit-chain.ts), the sync engine sends it as a bundle change marked
 * `kind: 'audit-event'`, and a receiving device stores it in its audit table, never among records.
 * Events are append-only: a change to an event already held is refused and reported, never
 * applied, so a device (or anyone between) cannot rewrite another device's history. Verification
 * (audit-chain.ts) then checks every device's chain, received ones included.
 */
import { AUDIT_EVENT_KIND, SyncedAuditEvent } from '../../shared/model';
import type { BundleChange } from '../../shared/sync/bundle';
import { fromBase64, toBase64 } from '../../shared/util/bytes';
import type { ChainHead, ChainedAuditRow } from './audit-chain';
import { auditEventContent, chainHeadKey } from './audit-chain';
import { auditOutboxRow } from './audit-outbox';
import { bulkGetExisting } from './bulk-read';
import type { KatDatabase, OutboxRow } from './database';
import type { RemoteBundle } from './sync-apply';
import { type SyncIssue, syncTables } from './sync-state';

/** Which server device may speak for a chain: the first one that delivered it. */
const originKey = (deviceId: string) => `audit-origin:${deviceId}`;

export function toSyncedAuditEvent(row: ChainedAuditRow, clinicId: string): SyncedAuditEvent {
  return {
    kind: AUDIT_EVENT_KIND,
    id: row.id,
    clinicId,
    at: row.at,
    userId: row.userId,
    deviceId: row.deviceId,
    action: row.action,
    recordKind: row.recordKind as SyncedAuditEvent['recordKind'],
    recordId: row.recordId,
    patientId: row.patientId,
    ...(row.detail
      ? {
          detail: {
            keyVersion: row.detail.keyVersion,
            iv: toBase64(row.detail.iv),
            ct: toBase64(row.detail.ct),
          },
        }
      : {}),
    seq: row.seq,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

export function fromSyncedAuditEvent(e: SyncedAuditEvent): ChainedAuditRow {
  return {
    id: e.id,
    at: e.at,
    userId: e.userId,
    deviceId: e.deviceId,
    action: e.action,
    recordKind: e.recordKind,
    recordId: e.recordId,
    patientId: e.patientId,
    ...(e.detail
      ? {
          detail: {
            keyVersion: e.detail.keyVersion,
            iv: fromBase64(e.detail.iv),
            ct: fromBase64(e.detail.ct),
          },
        }
      : {}),
    seq: e.seq,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/**
 * The bundle changes for audit outbox rows, by event id (an event gone is absent): the events are
 * read at once, not one IndexedDB request each (issue 20).
 */
export async function auditChangesFor(
  db: KatDatabase,
  clinicId: string,
  rows: readonly OutboxRow[],
): Promise<Map<string, BundleChange>> {
  const stored = (await bulkGetExisting(
    db.audit,
    rows.map((r) => r.recordId),
  )) as (Partial<ChainedAuditRow> | undefined)[];
  const out = new Map<string, BundleChange>();
  rows.forEach((row, i) => {
    const event = stored[i];
    if (!event || event.seq === undefined || !event.hash || !event.prevHash) return;
    out.set(row.recordId, {
      changeId: row.changeId,
      record: toSyncedAuditEvent(event as ChainedAuditRow, clinicId),
      hlc: row.hlc,
    });
  });
  return out;
}

/**
 * Queues this computer's own events again, inside the caller's transaction (which holds `audit`
 * and `outbox`): after the server was restored from a backup, it lacks the newer ones.
 */
export async function reofferOwnAuditEvents(db: KatDatabase, localDeviceId: string) {
  const own = ((await db.audit.toArray()) as Partial<ChainedAuditRow>[]).filter(
    (r) => r.deviceId === localDeviceId && r.seq !== undefined && !!r.hash,
  ) as ChainedAuditRow[];
  own.sort((x, y) => x.seq - y.seq);
  if (own.length) await db.outbox.bulkAdd(own.map(auditOutboxRow));
}

const isAuditChange = (record: unknown) =>
  typeof record === 'object' &&
  record !== null &&
  (record as { kind?: unknown }).kind === AUDIT_EVENT_KIND;

/** Same event, same place in the chain: a re-delivery, not a change. */
function sameEvent(a: ChainedAuditRow, b: ChainedAuditRow) {
  return (
    a.seq === b.seq &&
    a.prevHash === b.prevHash &&
    a.hash === b.hash &&
    auditEventContent(a) === auditEventContent(b)
  );
}

export type AuditApplyContext = {
  db: KatDatabase;
  clinicId: string;
  /** This computer's own chain id (the clock node): nobody else may add to it. */
  localDeviceId: string;
};

type Incoming = { event: ChainedAuditRow; bundle: RemoteBundle };

/**
 * Takes the audit events out of a pulled page and stores them (append-only), returning the page
 * with only record changes left. Idempotent: a page delivered again changes nothing, so it may
 * run before the page's own transaction.
 */
export async function applyRemoteAuditEvents(
  ctx: AuditApplyContext,
  bundles: RemoteBundle[],
): Promise<RemoteBundle[]> {
  const incoming: Incoming[] = [];
  const issues: Omit<SyncIssue, 'id'>[] = [];
  const refuse = (bundle: RemoteBundle, message: string, recordId?: string) =>
    issues.push({
      at: new Date().toISOString(),
      kind: 'rejected-change',
      message,
      bundleId: bundle.bundleId,
      seq: bundle.seq,
      fromDevice: bundle.fromDevice,
      ...(recordId ? { recordId } : {}),
    });
  let found = false;
  const rest = bundles.map((bundle) => {
    const changes = bundle.changes.filter((c) => !isAuditChange(c.record));
    if (changes.length === bundle.changes.length) return bundle;
    found = true;
    for (const c of bundle.changes) {
      if (!isAuditChange(c.record)) continue;
      const parsed = SyncedAuditEvent.safeParse(c.record);
      if (!parsed.success || parsed.data.clinicId !== ctx.clinicId)
        refuse(
          bundle,
          'An audit event from another device did not pass the checks of this version of KAT ' +
            'Chart, so it was not stored. Update KAT Chart on every device.',
        );
      else incoming.push({ event: fromSyncedAuditEvent(parsed.data), bundle });
    }
    return { ...bundle, changes };
  });
  if (!found) return bundles;
  const t = syncTables(ctx.db);
  await ctx.db.transaction('rw', [ctx.db.audit, ctx.db.meta, t.issues], async () => {
    const existing = await ctx.db.audit.bulkGet(incoming.map((i) => i.event.id));
    const origins = new Map<string, string>();
    const heads = new Map<string, ChainHead>();
    const add = new Map<string, ChainedAuditRow>();
    for (const [n, { event, bundle }] of incoming.entries()) {
      const chain = event.deviceId;
      if (chain === ctx.localDeviceId) {
        refuse(
          bundle,
          'Another device sent audit events in the name of this computer. They were refused; ' +
            'tell your privacy or security officer.',
          event.id,
        );
        continue;
      }
      if (!origins.has(chain))
        origins.set(
          chain,
          ((await ctx.db.meta.get(originKey(chain)))?.value as string | undefined) ??
            bundle.fromDevice,
        );
      if (origins.get(chain) !== bundle.fromDevice) {
        refuse(
          bundle,
          `A device sent audit events in the name of device ${chain}, which another device ` +
            'writes. They were refused; tell your privacy or security officer.',
          event.id,
        );
        continue;
      }
      const held = (existing[n] as ChainedAuditRow | undefined) ?? add.get(event.id);
      if (held) {
        if (!sameEvent(held, event))
          refuse(
            bundle,
            `A device tried to change audit event ${event.seq} of device ${chain}, which this ` +
              'computer already holds. Audit events never change, so the change was refused.',
            event.id,
          );
        continue;
      }
      add.set(event.id, event);
      if (!heads.has(chain))
        heads.set(
          chain,
          ((await ctx.db.meta.get(chainHeadKey(chain)))?.value as ChainHead | undefined) ?? {
            seq: 0,
            hash: '',
          },
        );
      if (event.seq > heads.get(chain)!.seq) heads.set(chain, { seq: event.seq, hash: event.hash });
    }
    if (add.size) await ctx.db.audit.bulkAdd([...add.values()]);
    for (const [chain, from] of origins)
      await ctx.db.meta.put({ key: originKey(chain), value: from });
    // The newest event received per device: deleting received events from the end is caught too.
    for (const [chain, head] of heads)
      if (head.seq > 0) await ctx.db.meta.put({ key: chainHeadKey(chain), value: head });
    if (issues.length) await t.issues.bulkAdd(issues);
  });
  return rest;
}
