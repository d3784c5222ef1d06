/**
 * Visits (encounters) and dates of service. A note, dose, measure or summary documents a visit:
 * when the service took place, for how long, where. Documentation written after the day of
 * service is a late entry and keeps both times, the service's and the writing's (CMS Medicare
 * Program Integrity Manual, ch. 3 §3.3.2.5: late entries state the date written and refer to the
 * date of service; AHIMA "Amendments in the Electronic Health Record", 2009).
 */
import type { VisitKind } from '../model/appointment';
import type { Encounter } from '../model/encounter';
import { clinicDay } from './dosing/clinic-day';

type Service = Pick<Encounter, 'start'> & Partial<Pick<Encounter, 'end' | 'durationMinutes'>>;

/** When the service ended: its end, or start + duration, or its start when neither is known. */
export function serviceEnd(visit: Service): string {
  if (visit.end) return visit.end;
  if (visit.durationMinutes)
    return new Date(Date.parse(visit.start) + visit.durationMinutes * 60_000).toISOString();
  return visit.start;
}

/** Written on a later clinic day than the service ended: a late entry. */
export function isLateEntry(visit: Service, writtenAt: string, timeZone?: string): boolean {
  return clinicDay(writtenAt, timeZone) > clinicDay(serviceEnd(visit), timeZone);
}

/** Minutes from start to end (or the stated duration); undefined when neither is recorded. */
export function serviceMinutes(visit: Service): number | undefined {
  if (visit.durationMinutes) return visit.durationMinutes;
  if (visit.end) return Math.round((Date.parse(visit.end) - Date.parse(visit.start)) / 60_000);
  return undefined;
}

/** Where the visit took place, from the booking: at-home sessions at home, else in the office. */
export function settingForVisit(visitKind: VisitKind): Encounter['setting'] {
  return visitKind === 'at-home-check-in' ? 'at-home' : 'in-office';
}

export type SessionClock = { since: string; from: 'dose' | 'visit' | 'note' };

/**
 * What a dosing note's session timer counts from: the dose (infusion start, else when it was
 * given) — minutes after dosing are what observations are read against —, else the start of the
 * visit once it has begun, else when the note was started.
 */
export function sessionClock(input: {
  doses: readonly { infusionStart?: string | undefined; administeredAt?: string | undefined }[];
  visit?: { start: string } | undefined;
  noteCreatedAt: string;
  now: Date;
}): SessionClock {
  const given = input.doses
    .map((d) => d.infusionStart ?? d.administeredAt)
    .filter((t): t is string => !!t)
    .sort()[0];
  if (given) return { since: given, from: 'dose' };
  if (input.visit && Date.parse(input.visit.start) <= input.now.getTime())
    return { since: input.visit.start, from: 'visit' };
  return { since: input.noteCreatedAt, from: 'note' };
}
