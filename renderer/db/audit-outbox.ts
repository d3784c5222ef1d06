/**
 * The outbox side of audit sync (issue 7), kept free of other runtime imports: the audit chain
 * and the schema migrations both need it, and neither may pull the sync code into a cycle.
 */
import type { Transaction } from 'dexie';
import { AUDIT_EVENT_KIND } from '../../shared/model';
import { formatHlc } from '../../shared/sync/hlc';
import { uuidv7 } from '../../shared/util/ids';
import type { ChainedAuditRow } from './audit-chain';
import type { OutboxRow } from './database';

export const isAuditOutboxRow = (row: Pick<OutboxRow, 'kind'>) => row.kind === AUDIT_EVENT_KIND;

/**
 * The outbox row of a newly chained event. Its clock stamp is derived from the event (the receiver
 * orders an audit chain by `seq`, never by clock), so writing one does not move the record clock.
 */
export function auditOutboxRow(row: ChainedAuditRow): OutboxRow {
  const node = row.deviceId.replace(/[^0-9a-z]/g, '').slice(0, 32) || 'audit';
  const wallMs = Math.max(0, Date.parse(row.at) || 0);
  return {
    changeId: uuidv7(),
    recordId: row.id,
    kind: AUDIT_EVENT_KIND,
    hlc: formatHlc({ wallMs, counter: row.seq % 100_000, node }),
  };
}

/**
 * Migration v4: events this computer chained before audit events synced get queued once, in
 * chain order, so other devices receive the whole chain from event 1. Runs in the upgrade
 * transaction (tables by name; the typed tables are not bound yet).
 */
export async function backfillAuditOutbox(tx: Transaction) {
  const clinic = (await tx.table('meta').get('clinic'))?.value as { deviceId?: string } | undefined;
  if (!clinic?.deviceId) return;
  const own = ((await tx.table('audit').toArray()) as Partial<ChainedAuditRow>[]).filter(
    (r) => r.deviceId === clinic.deviceId && r.seq !== undefined && !!r.hash,
  ) as ChainedAuditRow[];
  own.sort((x, y) => x.seq - y.seq);
  if (own.length) await tx.table('outbox').bulkAdd(own.map(auditOutboxRow));
}
