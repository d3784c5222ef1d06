/**
 * Emergency access to one patient's chart for someone whose role does not normally read all of it
 * (HIPAA 45 CFR 164.312(a)(2)(ii), emergency access procedure). A stated reason is required, the
 * access is audited loudly ('break-glass', with the reason) BEFORE it is granted, and it ends after
 * an hour or at lock/sign-out. Reading only: recording still follows the role.
 */
import { RECORD_KINDS } from '../../shared/model';
import { RuleError } from '../../shared/rules/errors';
import type { RecordStore } from './record-store';

export const EMERGENCY_ACCESS_MINUTES = 60;

/** True when this user's role leaves some part of a chart unreadable. */
export function roleLimitsChartReading(store: RecordStore): boolean {
  return RECORD_KINDS.some((kind) => !store.canRead(kind));
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
