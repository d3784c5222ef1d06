/**
 * "Changes waiting" as a person counts them: the records changed on this computer that the server
 * has not acknowledged yet. The outbox holds one row per write (every autosave) and the audit
 * events queued with them, 4–16 rows for one patient and one note (issue 14 point 7).
 *
 * Counted from the outbox's [kind+recordId] index (schema v6), one key per record, the audit
 * events' range skipped: no row is read. Issue 20: reading every row took ~270 ms of main thread
 * with a demo clinic's outbox, and the sync runtime asks after every change and every 5 s, while
 * the clinician types or scrolls. When the outbox holds the same rows as at the last count, the
 * last count is the answer: outbox seqs only grow, so the same number of rows and the same last
 * seq mean no row was added or removed since.
 */
import Dexie from 'dexie';
import { AUDIT_EVENT_KIND } from '../../shared/model/audit';
import type { KatDatabase } from './database';

const lastCount = new WeakMap<KatDatabase, { rows: number; lastSeq: unknown; waiting: number }>();

export function waitingChanges(db: KatDatabase): Promise<number> {
  // One read transaction: the rows counted are the rows the key scan sees.
  return db.transaction('r', db.outbox, async () => {
    const [rows, lastSeq] = await Promise.all([
      db.outbox.count(),
      db.outbox.orderBy(':id').lastKey(),
    ]);
    const last = lastCount.get(db);
    if (last && last.rows === rows && last.lastSeq === lastSeq) return last.waiting;
    // Counted as the keys go by, not gathered into an array (a demo clinic's outbox holds
    // ~24,000 records: 14 MB of keys on the heap while counting).
    let waiting = 0;
    const byRecord = db.outbox.where('[kind+recordId]');
    await Promise.all([
      byRecord.below([AUDIT_EVENT_KIND, Dexie.minKey]).eachUniqueKey(() => waiting++),
      byRecord.above([AUDIT_EVENT_KIND, Dexie.maxKey]).eachUniqueKey(() => waiting++),
    ]);
    lastCount.set(db, { rows, lastSeq, waiting });
    return waiting;
  });
}
