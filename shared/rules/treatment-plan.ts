/**
 * Treatment plan and course progress (issue 16 point 5). A KAP course is a planned number of
 * dosing sessions at a set frequency with preparation before and integration after, then
 * maintenance sessions at variable intervals (PRODUCT.md). A typical IV ketamine induction is 6
 * infusions over 2–3 weeks (Sanacora et al., APA consensus statement on ketamine for mood
 * disorders, JAMA Psychiatry 2017); esketamine is given twice a week in weeks 1–4, then weekly or
 * every two weeks (Spravato PI, Dosage and Administration). Pure: records and the clinic day in.
 */
import type { RecordStatus } from '../model/common';
import type { DoseBody } from '../model/dose';
import type { DoseFrequency, TreatmentPlanBody } from '../model/treatment-plan';
import { clinicDay, daysBetween, type CalendarDate } from './dosing/clinic-day';
import { doseGivenAt } from './dosing/vitals';

/**
 * Days from one dosing session to the next: three a week is Mon/Wed/Fri (2 days, a weekend gap of
 * 3 not counted against the patient), twice a week Mon/Thu (3 days).
 */
export const FREQUENCY_DAYS: Record<DoseFrequency, number> = {
  'three-a-week': 2,
  'twice-a-week': 3,
  weekly: 7,
  'every-two-weeks': 14,
};

/** `day` plus `n` calendar days. */
export function addDays(day: CalendarDate, n: number): CalendarDate {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + n)).toISOString().slice(0, 10);
}

type PlanVersion = { id: string; status: RecordStatus; revises?: string; writtenAt: string };

/**
 * The plan in force: the newest signed version that no signed version replaces. A revision marked
 * entered in error gives the version it replaced back its place.
 */
export function currentPlan<P extends PlanVersion>(plans: readonly P[]): P | undefined {
  const signed = plans.filter((p) => p.status === 'signed');
  const replaced = new Set(signed.map((p) => p.revises).filter(Boolean));
  return signed
    .filter((p) => !replaced.has(p.id))
    .sort((a, b) => b.writtenAt.localeCompare(a.writtenAt))[0];
}

export type DueState = 'upcoming' | 'due' | 'overdue';

export type NextSession = {
  what: 'dose' | 'maintenance';
  /** The dose's number in the course ("dose 3 of 6"); absent for maintenance. */
  number?: number;
  due: CalendarDate;
  state: DueState;
  /** Whole days past the due date (0 when not overdue). */
  daysLate: number;
};

export type CourseProgress = {
  planned: number;
  /** Signed doses that count towards the course (at most `planned`). */
  given: number;
  /** Signed doses after the course was complete. */
  maintenanceGiven: number;
  phase: 'not-started' | 'course' | 'maintenance';
  lastDoseOn?: CalendarDate;
  completedOn?: CalendarDate;
  /** Undefined before the first dose (it is booked, not computed) and when no maintenance is set. */
  next?: NextSession;
  /** The plan has integration after each dose and none is charted since the last one. */
  integrationPending: boolean;
};

type Dose = Pick<DoseBody, 'administeredAt' | 'infusionStart'> & {
  status: RecordStatus;
  createdAt: string;
};
type Visit = { visitKind: string; start: string; status: RecordStatus };
type Plan = Pick<
  TreatmentPlanBody,
  'plannedDoses' | 'frequency' | 'maintenanceIntervalWeeks' | 'startsOn' | 'integrationAfterEach'
>;

/**
 * Where the patient is in the course on the clinic day `today`. Only signed doses count (a draft
 * may never be given; one entered in error was not), from the plan's first day on, whatever the
 * route. The next dose is due FREQUENCY_DAYS after the last; after the last planned dose,
 * maintenance is due `maintenanceIntervalWeeks` after the latest dose.
 */
export function courseProgress(input: {
  plan: Plan;
  doses: readonly Dose[];
  visits?: readonly Visit[];
  today: CalendarDate;
  timeZone?: string | undefined;
}): CourseProgress {
  const { plan, today, timeZone } = input;
  const days = input.doses
    .filter((d) => d.status === 'signed')
    .map((d) => clinicDay(doseGivenAt(d) ?? d.createdAt, timeZone))
    .filter((day) => day >= plan.startsOn)
    .sort();
  const planned = plan.plannedDoses;
  const given = Math.min(days.length, planned);
  const lastDoseOn = days.at(-1);
  const completedOn = days.length >= planned ? days[planned - 1] : undefined;
  const phase = days.length === 0 ? 'not-started' : completedOn ? 'maintenance' : 'course';
  const next = (what: NextSession['what'], due: CalendarDate, number?: number): NextSession => {
    const late = daysBetween(due, today);
    return {
      what,
      ...(number ? { number } : {}),
      due,
      state: late > 0 ? 'overdue' : late === 0 ? 'due' : 'upcoming',
      daysLate: Math.max(0, late),
    };
  };
  const integrationPending =
    !!lastDoseOn &&
    plan.integrationAfterEach &&
    !(input.visits ?? []).some(
      (v) =>
        v.visitKind === 'integration' &&
        v.status !== 'entered-in-error' &&
        clinicDay(v.start, timeZone) >= lastDoseOn,
    );
  return {
    planned,
    given,
    maintenanceGiven: days.length - given,
    phase,
    ...(lastDoseOn ? { lastDoseOn } : {}),
    ...(completedOn ? { completedOn } : {}),
    ...(phase === 'course'
      ? { next: next('dose', addDays(lastDoseOn!, FREQUENCY_DAYS[plan.frequency]), given + 1) }
      : phase === 'maintenance' && plan.maintenanceIntervalWeeks
        ? { next: next('maintenance', addDays(lastDoseOn!, plan.maintenanceIntervalWeeks * 7)) }
        : {}),
    integrationPending,
  };
}

/** "Dose 2 of 6", "Course complete: 6 of 6", "No dose yet: 0 of 6". */
export function progressLabel(p: Pick<CourseProgress, 'given' | 'planned' | 'phase'>): string {
  if (p.phase === 'not-started') return `No dose yet: 0 of ${p.planned}`;
  if (p.phase === 'maintenance') return `Course complete: ${p.planned} of ${p.planned}`;
  return `Dose ${p.given} of ${p.planned}`;
}

type PrepNote = {
  id: string;
  status: RecordStatus;
  templateId: string;
  encounterId?: string | undefined;
  sections: Record<string, string>;
  createdAt: string;
};

/**
 * The goals a patient set in preparation, to start the plan from: the "Intentions" of their newest
 * preparation note (the bundled KAP preparation template, or any note of a preparation visit)
 * that is not in error and has some.
 */
export function preparationGoals(
  notes: readonly PrepNote[],
  preparationVisitIds: ReadonlySet<string>,
): { noteId: string; text: string; writtenAt: string } | undefined {
  const found = notes
    .filter(
      (n) =>
        n.status !== 'entered-in-error' &&
        (n.templateId === 'kap-preparation' ||
          (!!n.encounterId && preparationVisitIds.has(n.encounterId))) &&
        (n.sections.intentions ?? '').trim() !== '',
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  return found
    ? { noteId: found.id, text: found.sections.intentions!.trim(), writtenAt: found.createdAt }
    : undefined;
}
