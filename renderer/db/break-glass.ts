/**
 * Emergency access to one patient's chart for someone whose role does not normally read all of it
 * (HIPAA 45 CFR 164.312(a)(2)(ii), emergency access procedure). A stated reason is required, the
 * access is audited loudly ('break-glass', with the reason) BEFORE it is granted, and it ends after
 * an hour or at lock/sign-out. Reading only: recording still follows the role.
 */
import type { RecordKind } from '../../shared/model';
import { RuleError } from '../../shared/rules/errors';
import type { RecordRow } from './database';
import type { RecordStore } from './record-store';

export const EMERGENCY_ACCESS_MINUTES = 60;

/** What a patient's chart is made of: what emergency access can open (never the drug log). */
export const CHART_KINDS: readonly RecordKind[] = [
  'patient',
  'appointment',
  'encounter',
  'note',
  'addendum',
  'co-signature',
  'dose',
  'eligibility',
  'home-prescription',
  'treatment-plan',
  'integration-summary',
  'measure',
  'signed-consent',
];

/** True when this user's role leaves some part of a chart unreadable. */
export function roleLimitsChartReading(store: RecordStore): boolean {
  return CHART_KINDS.some((kind) => !store.canRead(kind));
}

/** Emergency access would open this kind of record for this role (issue 18 point 4). */
export function emergencyAccessOffered(store: RecordStore, kind: RecordKind): boolean {
  return CHART_KINDS.includes(kind) && !store.canRead(kind);
}

/**
 * How many of this patient's records the role cannot read and emergency access would open, from
 * the clear index (kind and patient id) alone: nothing is decrypted to count them. Zero means
 * emergency access would give nothing, so it is not offered.
 */
export async function emergencyAccessWouldOpen(
  store: RecordStore,
  patientId: string,
): Promise<number> {
  if (!roleLimitsChartReading(store) || store.emergencyAccess()?.patientId === patientId) return 0;
  const rows = await store.db.records.where('patientId').equals(patientId).toArray();
  return rows.filter((r) => emergencyAccessOffered(store, r.kind)).length;
}

export async function breakTheGlass(
  store: RecordStore,
  patientId: string,
  reason: string,
  now = new Date(),
): Promise<Date> {
  const why = reason.trim();
  if (why.length < 10)
    throw new RuleError(
      'break-glass.reason',
      'Say why you need this chart in an emergency (at least 10 characters). The reason is recorded and reviewed by an administrator.',
    );
  if (!(await store.get('patient', patientId)))
    throw new RuleError('not-found', 'That patient could not be found.');
  const until = new Date(now.getTime() + EMERGENCY_ACCESS_MINUTES * 60_000);
  await store.audit('break-glass', {
    recordKind: 'patient',
    recordId: patientId,
    patientId,
    detail: `Emergency access for ${EMERGENCY_ACCESS_MINUTES} minutes: ${why}`,
  });
  store.grantEmergencyAccess(patientId, until);
  return until;
}

/**
 * Days (YYYY-MM-DD of the index date, in UTC) on which this patient has records this role may not
 * read, with their kinds, from the clear index alone: the chart says "Restricted note" on such a
 * visit instead of "Nothing charted", which would be untrue.
 */
export async function restrictedDays(
  store: RecordStore,
  patientId: string,
): Promise<Map<string, Set<RecordKind>>> {
  if (!limitsChartOf(store, patientId)) return new Map();
  const rows = await store.db.records.where('patientId').equals(patientId).toArray();
  return restrictedDaysOf(store, patientId, rows);
}

/** restrictedDays from the patient's rows already read (the chart reads them once for both). */
export function restrictedDaysOf(
  store: RecordStore,
  patientId: string,
  rows: readonly Pick<RecordRow, 'kind' | 'date'>[],
): Map<string, Set<RecordKind>> {
  const days = new Map<string, Set<RecordKind>>();
  if (!limitsChartOf(store, patientId)) return days;
  for (const r of rows) {
    if (!emergencyAccessOffered(store, r.kind)) continue;
    const day = r.date.slice(0, 10);
    days.set(day, (days.get(day) ?? new Set()).add(r.kind));
  }
  return days;
}

const limitsChartOf = (store: RecordStore, patientId: string) =>
  roleLimitsChartReading(store) && store.emergencyAccess()?.patientId !== patientId;
