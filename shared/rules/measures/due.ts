/**
 * Which outcome measures are due at an upcoming visit, per the clinic's schedule.
 */
import type { VisitKind } from '../../model/appointment';
import type { RecordStatus } from '../../model/common';
import {
  INSTRUMENTS,
  type Instrument,
  type MeasureSchedule,
  type MeasureScheduleRule,
} from '../../model/measure';
import { MEASURES } from './registry';

/**
 * Used when a clinic has not set a schedule for an instrument. PHQ-9, GAD-7 and the C-SSRS
 * screener before every dose: ketamine's effect is rapid, so a score from the previous session
 * says little about today, and suicide risk is screened before each treatment. PCL-5 only for
 * patients treated for PTSD, which a clinic-wide default cannot know, so it starts unscheduled.
 */
export const DEFAULT_MEASURE_SCHEDULE: Readonly<Record<Instrument, MeasureScheduleRule>> = {
  phq9: { rule: 'before-each-dosing' },
  gad7: { rule: 'before-each-dosing' },
  pcl5: { rule: 'not-scheduled' },
  'cssrs-screener': { rule: 'before-each-dosing' },
};

/** Maintenance sessions in a ketamine course are dosing sessions too (booster doses). */
const DOSING_VISITS: ReadonlySet<VisitKind> = new Set(['dosing', 'maintenance']);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * "Before this dose" means given in the 24 hours before the session starts (or linked to it).
 * Induction series run two or three sessions a week, so a longer window would let the previous
 * session's score stand in for today's.
 */
const BEFORE_DOSING_WINDOW_MS = 24 * HOUR;
/** A measure given while the visit is under way still counts for it. */
const DURING_VISIT_MS = 12 * HOUR;

export type TakenMeasure = {
  instrument: Instrument;
  administeredAt: string;
  encounterId?: string;
  status?: RecordStatus;
};

export type UpcomingEncounter = { id?: string; visitKind: VisitKind; start: string };

export type DueMeasure = {
  instrument: Instrument;
  shortName: string;
  rule: MeasureScheduleRule;
  /** Why it is due, in plain words. */
  reason: string;
  /** When it was last given (any time before this visit), or null if never. */
  lastAdministeredAt: string | null;
};

export function measuresDue(
  settings: { measureSchedule?: MeasureSchedule | undefined },
  measuresTaken: readonly TakenMeasure[],
  upcomingEncounter: UpcomingEncounter,
): DueMeasure[] {
  const start = Date.parse(upcomingEncounter.start);
  const due: DueMeasure[] = [];
  for (const instrument of INSTRUMENTS) {
    const rule = settings.measureSchedule?.[instrument] ?? DEFAULT_MEASURE_SCHEDULE[instrument];
    const taken = measuresTaken.filter(
      (m) =>
        m.instrument === instrument &&
        m.status !== 'entered-in-error' &&
        Date.parse(m.administeredAt) <= start + DURING_VISIT_MS,
    );
    const last = taken.reduce<TakenMeasure | null>(
      (a, m) => (!a || Date.parse(m.administeredAt) > Date.parse(a.administeredAt) ? m : a),
      null,
    );
    const reason = dueReason(rule, MEASURES[instrument].shortName, taken, last, upcomingEncounter);
    if (reason)
      due.push({
        instrument,
        shortName: MEASURES[instrument].shortName,
        rule,
        reason,
        lastAdministeredAt: last?.administeredAt ?? null,
      });
  }
  return due;
}

function dueReason(
  rule: MeasureScheduleRule,
  name: string,
  taken: readonly TakenMeasure[],
  last: TakenMeasure | null,
  visit: UpcomingEncounter,
): string | null {
  const start = Date.parse(visit.start);
  if (rule.rule === 'not-scheduled') return null;
  if (rule.rule === 'before-each-dosing') {
    if (!DOSING_VISITS.has(visit.visitKind)) return null;
    const done = taken.some(
      (m) =>
        (visit.id !== undefined && m.encounterId === visit.id) ||
        Date.parse(m.administeredAt) >= start - BEFORE_DOSING_WINDOW_MS,
    );
    return done
      ? null
      : `${name} is given before each dosing session; none is recorded in the 24 hours before this one.`;
  }
  if (!last) return `No ${name} on record; the clinic gives it every ${rule.days} days.`;
  const days = Math.floor((start - Date.parse(last.administeredAt)) / DAY);
  return days >= rule.days
    ? `${name} is given every ${rule.days} days; the last one was ${days} days before this visit.`
    : null;
}
