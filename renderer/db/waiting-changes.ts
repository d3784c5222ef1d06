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
 * seq mean no row was added or removed since; when rows were only added, only the new rows are
 * looked at (`addedSince`).
 */
import Dexie from 'dexie';
import { AUDIT_EVENT_KIND } from '../../shared/model/audit';
import type { KatDatabase } from './database';

type Count = { rows: number; lastSeq: unknown; waiting: number };
const lastCount = new WeakMap<KatDatabase, Count>();

/** Beyond this many new rows, counting them one by one costs more than the key scan. */
const MOST_ADDED = 2_000;

/**
 * The count after rows were only added since `last` (an edit, an autosave, an audit event): the
 * last count plus the records of the new rows that had no row before. Undefined when a row
 * counted last time is gone (an acknowledgement) or too many were added: then the keys are
 * counted again. Issue 20: a 2,000-patient demo clinic never synced holds ~190,000 records in
 * its outbox, and counting their keys took ~800 ms of main thread after every chart view's audit
 * event, in the middle of the clinician's typing.
 */
async function addedSince(db: KatDatabase, last: Count, rows: number) {
  if (rows - last.rows > MOST_ADDED || rows < last.rows) return undefined;
  const since = (last.lastSeq as number | undefined) ?? 0;
  const added = await db.outbox.where(':id').above(since).toArray();
  // Every row counted last time is still there exactly when the rows are the old ones plus these.
  if (last.rows + added.length !== rows) return undefined;
  let waiting = last.waiting;
  const seen = new Set<string>();
  for (const r of added) {
    if (r.kind === AUDIT_EVENT_KIND) continue;
    const key = `${r.kind}\u0000${r.recordId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // The record's oldest row: from before the last count means it was counted then.
    const [first] = await db.outbox
      .where('[kind+recordId]')
      .equals([r.kind, r.recordId])
      .limit(1)
      .primaryKeys();
    if ((first as number) > since) waiting++;
  }
  return waiting;
}

export function waitingChanges(db: KatDatabase): Promise<number> {
  // One read transaction: the rows counted are the rows the key scan sees.
  return db.transaction('r', db.outbox, async () => {
    const [rows, lastSeq] = await Promise.all([
      db.outbox.count(),
      db.outbox.orderBy(':id').lastKey(),
    ]);
    const last = lastCount.get(db);
    if (last && last.rows === rows && last.lastSeq === lastSeq) return last.waiting;
    const grown = last && (await addedSince(db, last, rows));
    if (grown !== undefined) {
      lastCount.set(db, { rows, lastSeq, waiting: grown });
      return grown;
    }
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

/** Counts every key again, as the first count does (tests compare the two ways). */
export function waitingChangesAfresh(db: KatDatabase): Promise<number> {
  lastCount.delete(db);
  return waitingChanges(db);
}
