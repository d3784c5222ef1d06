/**
 * Dexie schema history. A released step is never edited; changes are new steps with an upgrade
 * function when existing rows need rewriting. migrations.test.ts opens a database at every older
 * version, fills it, and upgrades it to the current one.
 */
import type { Transaction } from 'dexie';
import { backfillAuditOutbox } from './audit-outbox';
import { heldFromClockDriftIssues } from './sync-held-migration';

export type Migration = {
  version: number;
  stores: Record<string, string | null>;
  upgrade?: (tx: Transaction) => Promise<void>;
};

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    stores: {
      records: 'id, kind, [kind+patientId], [kind+date], updatedAt',
      outbox: '++seq, recordId',
      audit: 'id, at, userId, action, recordId, patientId',
      keyring: 'userId, &username',
      meta: 'key',
    },
  },
  {
    // v2: status became queryable per kind (unsigned-notes list, consent status), a chart loads
    // all of one patient's records by patientId, and unsaved form
    // input got its own encrypted table. Rows written by v1 lacked `status` in the clear for
    // entered-in-error marks made before signing; v1 only wrote 'draft' and 'signed', so every
    // row without a status is a draft.
    version: 2,
    stores: {
      records: 'id, kind, patientId, [kind+patientId], [kind+date], [kind+status], updatedAt',
      drafts: 'key, userId',
    },
    upgrade: async (tx) => {
      await tx
        .table('records')
        .toCollection()
        .modify((row: { status?: string }) => {
          if (!row.status) row.status = 'draft';
        });
    },
  },
  {
    // v3: sync state (renderer/db/sync-state.ts). Issues keep quarantined bundles and rejected
    // changes for the sync panel; seen/pushed remember which versions of a record were exchanged,
    // so a concurrent draft edit is told apart from a newer one (SYNC.md rule 4).
    version: 3,
    stores: {
      syncIssues: '++id, at, kind',
      syncSeen: 'recordId',
      syncPushed: 'recordId',
    },
  },
  {
    // v4 (issue 7): audit events sync. No new index; this computer's events chained before
    // then are queued in the outbox once, so every device can verify the chain from event 1.
    version: 4,
    stores: {},
    upgrade: backfillAuditOutbox,
  },
  {
    // v5 (issue 14): changes held for a transient reason, retried every round (sync-held.ts).
    // Bundles an older version kept with a clock-drift issue (the cursor had moved past them and
    // nothing retried them) become held bundles, so they apply once the clocks agree.
    version: 5,
    stores: { syncHeld: 'bundleId, seq' },
    upgrade: heldFromClockDriftIssues,
  },
  {
    // v6 (issue 20): "Changes waiting" counted by reading every outbox row after each local
    // change (~270 ms of main thread with a demo clinic's outbox). The records changed are the
    // distinct [kind+recordId] keys outside the audit events, read from this index alone
    // (waiting-changes.ts). IndexedDB fills a new index from the rows already there.
    version: 6,
    stores: { outbox: '++seq, recordId, [kind+recordId]' },
  },
];
