/**
 * "Changes waiting" as a person counts them: the records changed on this computer that the server
 * has not acknowledged yet. The outbox holds one row per write (every autosave) and the audit
 * events queued with them, 4–16 rows for one patient and one note (issue 14 point 7).
 */
import { AUDIT_EVENT_KIND } from '../../shared/model/audit';
import type { KatDatabase } from './database';

export async function waitingChanges(db: KatDatabase): Promise<number> {
  const records = new Set<string>();
  await db.outbox.each((row) => {
    if (row.kind !== AUDIT_EVENT_KIND) records.add(row.recordId);
  });
  return records.size;
}
