/**
 * The live dosing session (issue 15, deliverable 5): a patient is "in the chair" from the moment
 * the dose is given (the infusion started, or the esketamine/IM/troche time recorded) until the
 * discharge is recorded, while the record is still an unsigned draft. At-home sessions are not
 * watched from the clinic's screens (the at-home monitor charts them), so only in-office doses
 * count. The reminder shown for a session is nextVitalsDue (vitals.ts); nothing here re-decides
 * what is due.
 */
import type { DoseBody } from '../../model/dose';
import { doseGivenAt } from './vitals';

export type SessionInput = Pick<
  DoseBody,
  'administeredAt' | 'infusionStart' | 'discharge' | 'setting'
> & { status: string };

/** Is this dose a session in progress: started, not discharged, not signed, in the office. */
export function isOpenSession(dose: SessionInput): boolean {
  return (
    dose.status === 'draft' &&
    dose.setting !== 'at-home' &&
    doseGivenAt(dose) !== undefined &&
    dose.discharge === undefined
  );
}

/** The open sessions among `doses`, the earliest started first. */
export function openSessions<T extends SessionInput>(doses: readonly T[]): T[] {
  return doses
    .filter(isOpenSession)
    .sort((a, b) => Date.parse(doseGivenAt(a)!) - Date.parse(doseGivenAt(b)!));
}
