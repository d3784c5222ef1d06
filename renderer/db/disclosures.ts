/**
 * The accounting of disclosures for one patient (rules in shared/rules/disclosures.ts): every
 * print and export of their records with the recipient and purpose asked when it was made. Read
 * from the audit log, so administrators only (the privacy officer's report).
 */
import type { DisclosureLine } from '../../shared/rules/disclosures';
import { type AuditEntry, assertAuditReviewer, listAuditEvents } from './audit-repository';
import type { RecordStore } from './record-store';

export type PatientDisclosures = {
  lines: DisclosureLine[];
  /** Prints and exports from before recipients were asked: counted, never hidden. */
  unrecorded: AuditEntry[];
};

/**
 * This patient's prints and exports in the range (ISO instants, inclusive): those of their own
 * records, and clinic-wide printouts (the controlled-substance log, the audit log) that named them
 * when they left the clinic.
 */
export async function listDisclosures(
  store: RecordStore,
  patientId: string,
  range: { from?: string; to?: string } = {},
): Promise<PatientDisclosures> {
  assertAuditReviewer(store);
  const lines: DisclosureLine[] = [];
  const unrecorded: AuditEntry[] = [];
  const events = (
    await Promise.all(
      (['print', 'export'] as const).map((action) => listAuditEvents(store, { action, ...range })),
    )
  ).flat();
  for (const e of events) {
    const own = e.patientId === patientId;
    if (!own && !e.disclosure?.patients?.includes(patientId)) continue;
    if (e.disclosure) {
      const { patients: _named, ...d } = e.disclosure;
      lines.push({
        id: e.id,
        at: e.at,
        by: e.userName,
        action: e.action as 'print' | 'export',
        ...d,
        ...(!own && { what: `${d.what} (a clinic-wide record that names this patient)` }),
      });
    } else unrecorded.push(e);
  }
  const newestFirst = (a: { at: string }, b: { at: string }) =>
    a.at < b.at ? 1 : a.at > b.at ? -1 : 0;
  return { lines: lines.sort(newestFirst), unrecorded: unrecorded.sort(newestFirst) };
}
