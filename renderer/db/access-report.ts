/**
 * The access report for one patient (rules in shared/rules/access-report.ts): read from the audit
 * log, so administrators only; saving it is itself audited, as every export of the log is.
 */
import { ACCESS_ACTIONS } from '../../shared/rules/access-report';
import { type Disclosure, disclosureDetail } from '../../shared/rules/disclosures';
import { type AuditEntry, assertAuditReviewer, listAuditEvents } from './audit-repository';
import type { RecordStore } from './record-store';

/** Every access to this patient's chart in the range (ISO instants, inclusive), newest first. */
export async function listChartAccess(
  store: RecordStore,
  patientId: string,
  range: { from?: string; to?: string } = {},
): Promise<AuditEntry[]> {
  assertAuditReviewer(store);
  const all = await listAuditEvents(store, { patientId, ...range });
  return all.filter((e) => (ACCESS_ACTIONS as readonly string[]).includes(e.action));
}

/**
 * Records that a report about one patient (an access report, an accounting of disclosures) left
 * the app: what it was ("Access report PDF, 3 events, 2026-12-01 to 2026-12-07"), for whom, why.
 */
export async function patientReportSaved(
  store: RecordStore,
  patientId: string,
  what: string,
  disclosure: Disclosure,
): Promise<void> {
  assertAuditReviewer(store);
  await store.audit('export', {
    recordKind: 'patient',
    recordId: patientId,
    patientId,
    detail: disclosureDetail(what, disclosure),
  });
}

/** "Access report PDF, 3 events, 2026-12-01 to 2026-12-07": what a saved report holds. */
export const reportWords = (report: string, count: number, unit: string, days: string) =>
  `${report} PDF, ${count} ${unit}${count === 1 ? '' : 's'}${days ? `, ${days}` : ''}`;
