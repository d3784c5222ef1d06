/**
 * Appointments and "who needs what" for a day's schedule. A day is the clinic's calendar day
 * (clinicDay, device time zone): a 19:30 visit belongs to that evening, not to tomorrow in UTC.
 */
import {
  AppointmentBody,
  type Appointment,
  type ConsentTemplate,
  type Patient,
} from '../../shared/model';
import { clinicDay } from '../../shared/rules/dosing/clinic-day';
import { RuleError } from '../../shared/rules/errors';
import { formsNeededForDay, type PatientFormNeeds } from '../../shared/rules/packets';
import { listPackets } from './consent-packets-repository';
import type { RecordStore } from './record-store';
import { ValidationError } from './record-store';

export type NewAppointment = {
  patientId: string;
  clinicianId: string;
  /** Local wall-clock day and time, as typed: "2026-11-22" and "09:30". */
  day: string;
  time: string;
  durationMinutes: number;
  visitKind: AppointmentBody['visitKind'];
  program?: string;
};

/** "2026-11-22" + "09:30" on this device's clock, as an instant. */
export function localInstant(day: string, time: string): string {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const t = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!d || !t)
    throw new RuleError('appointment.bad-time', 'Enter the day and a time such as 09:30.');
  const at = new Date(+d[1]!, +d[2]! - 1, +d[3]!, +t[1]!, +t[2]!);
  return at.toISOString();
}

/** Book a visit. The patient and clinician must exist on this device. */
export async function addAppointment(
  store: RecordStore,
  input: NewAppointment,
): Promise<Appointment> {
  const [patient, clinician] = await Promise.all([
    store.get('patient', input.patientId),
    store.get('user', input.clinicianId),
  ]);
  if (!patient)
    throw new RuleError('appointment.no-patient', 'Choose the patient for this appointment.');
  if (!clinician)
    throw new RuleError('appointment.no-clinician', 'Choose the clinician for this appointment.');
  const parsed = AppointmentBody.safeParse({
    patientId: input.patientId,
    clinicianId: input.clinicianId,
    start: localInstant(input.day, input.time),
    durationMinutes: input.durationMinutes,
    visitKind: input.visitKind,
    program: input.program || undefined,
    cancelled: false,
  });
  if (!parsed.success) throw new ValidationError(parsed.error.issues);
  return store.create('appointment', parsed.data);
}

/** Appointments on one calendar day (cancelled ones included, marked), by start time. */
export function appointmentsOnDay(appointments: readonly Appointment[], day: string) {
  return appointments
    .filter((a) => clinicDay(a.start) === day)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

/** Cancelling keeps the record (a no-show or cancellation is part of the course). */
export function cancelAppointment(store: RecordStore, id: string) {
  return store.update('appointment', id, () => ({ cancelled: true }));
}

export type DayNeeds = PatientFormNeeds<ConsentTemplate>[];

/** For the day's schedule: each patient and the forms they still need before their visit. */
export async function formsNeededOn(store: RecordStore, day: string, now: Date): Promise<DayNeeds> {
  const appointments = appointmentsOnDay(await store.listKind('appointment'), day);
  const patientIds = [...new Set(appointments.map((a) => a.patientId))];
  const [patients, consents, templates, packets] = await Promise.all([
    Promise.all(patientIds.map((id) => store.get('patient', id))),
    Promise.all(patientIds.map((id) => store.listByPatient('signed-consent', id))),
    store.listKind('consent-template'),
    listPackets(store),
  ]);
  return formsNeededForDay({
    appointments,
    patients: patients.filter((p): p is Patient => !!p),
    templates,
    consents: consents.flat(),
    packets,
    now,
  });
}
