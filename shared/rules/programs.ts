/**
 * Which consent programs (in-office IV, esketamine, at-home …) a patient is actually in, so the
 * chart and the banner speak of those and not of every program the clinic offers (issue 16: a
 * therapist saw three "MISSING" rows for programs the patient never joined).
 */
import type { Appointment } from '../model/appointment';
import type { RecordStatus } from '../model/common';

type ProgramSource = { program?: string | undefined; status?: RecordStatus };
type Booking = Pick<Appointment, 'program' | 'start' | 'cancelled'> & { status?: RecordStatus };

export type PatientProgramsInput = {
  /** The program of the patient's current treatment plan, if one is signed. */
  planProgram?: string | undefined;
  appointments: readonly Booking[];
  consents: readonly ProgramSource[];
  at: Date;
};

/**
 * The patient's programs, the current one first: the treatment plan's; else the program of the
 * next booked visit; else of the latest past visit; else of the newest signed consent. Then every
 * other program the patient was booked or signed for. Cancelled and in-error entries never count.
 */
export function patientPrograms(input: PatientProgramsInput): string[] {
  const now = input.at.getTime();
  const booked = input.appointments
    .filter((a) => a.program && !a.cancelled && a.status !== 'entered-in-error')
    .map((a) => ({ program: a.program!, at: Date.parse(a.start) }));
  const next = booked.filter((b) => b.at >= now).sort((a, b) => a.at - b.at);
  const past = booked.filter((b) => b.at < now).sort((a, b) => b.at - a.at);
  const signed = input.consents
    .filter((c) => c.program && c.status !== 'entered-in-error')
    .map((c) => c.program!);
  const ordered = [
    ...(input.planProgram ? [input.planProgram] : []),
    ...next.map((b) => b.program),
    ...past.map((b) => b.program),
    ...signed.reverse(),
  ];
  return [...new Set(ordered)];
}
