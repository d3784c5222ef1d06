/**
 * The session header's clock in plain words (issue 15, deliverable 5): how long the patient has
 * been dosed, and when the next reading is due. What is due comes from nextVitalsDue
 * (shared/rules/dosing/vitals.ts); these only put minutes into words. Whole minutes, as clinical
 * times are kept to the minute.
 */
import type { VitalsDue } from '../../../shared/rules/dosing';
import { formatDuration, formatTime } from '../../app/format';

const MINUTE = 60_000;

/** "Started 12 minutes ago", "Started just now", or "Starts at 10:05" for a time still ahead. */
export function elapsedWords(startIso: string, now: Date): string {
  const ms = now.getTime() - Date.parse(startIso);
  if (ms < 0) return `Starts at ${formatTime(startIso)}`;
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 1) return 'Started just now';
  return `Started ${formatDuration(minutes)} ago`;
}

/**
 * The countdown to the next reading: "Due in 4 minutes", "Due now", "Overdue by 3 minutes".
 * A reading is due from its minute until a whole minute after it; overdue after that.
 */
export function dueWords(due: Pick<VitalsDue, 'dueAt'>, now: Date): string {
  const ms = Date.parse(due.dueAt) - now.getTime();
  if (ms > 0) return `Due in ${formatDuration(Math.ceil(ms / MINUTE))}`;
  const late = Math.floor(-ms / MINUTE);
  return late < 1 ? 'Due now' : `Overdue by ${formatDuration(late)}`;
}

/** The same countdown, short, for the app header's badge: "due in 4 min", "due now", "overdue 3 min". */
export function dueShortWords(due: Pick<VitalsDue, 'dueAt'>, now: Date): string {
  const ms = Date.parse(due.dueAt) - now.getTime();
  if (ms > 0) return `due in ${Math.ceil(ms / MINUTE)} min`;
  const late = Math.floor(-ms / MINUTE);
  return late < 1 ? 'due now' : `overdue ${late} min`;
}

const TICK_STEPS_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120];

/**
 * Clock-time ticks for the session chart: on whole steps of 1, 2, 5, 10, 15, 30 or 60 minutes
 * (the smallest that gives no more than `most` ticks) from the first reading to the last.
 */
export function timeTicks(fromMs: number, toMs: number, most = 8): number[] {
  if (!(toMs > fromMs)) return [fromMs];
  const span = (toMs - fromMs) / MINUTE;
  const step =
    (TICK_STEPS_MINUTES.find((s) => span / s <= most - 1) ?? Math.ceil(span / (most - 1))) * MINUTE;
  const ticks: number[] = [];
  for (let t = Math.ceil(fromMs / step) * step; t <= toMs; t += step) ticks.push(t);
  return ticks;
}
