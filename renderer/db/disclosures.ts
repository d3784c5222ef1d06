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

/** This patient's prints and exports in the range (ISO instants, inclusive). */
export async function listDisclosures(
  store: RecordStore,
  patientId: string,
  range: { from?: string; to?: string } = {},
): Promise<PatientDisclosures> {
  assertAuditReviewer(store);
  const lines: DisclosureLine[] = [];
  const unrecorded: AuditEntry[] = [];
  for (const e of await listAuditEvents(store, { patientId, ...range })) {
    if (e.action !== 'print' && e.action !== 'export') continue;
    if (e.disclosure)
      lines.push({ id: e.id, at: e.at, by: e.userName, action: e.action, ...e.disclosure });
    else unrecorded.push(e);
  }
  return { lines, unrecorded };
}
