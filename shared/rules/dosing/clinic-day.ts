/**
 * Calendar arithmetic in the clinic's own day. "Same day", "weight older than 30 days" and "lot
 * expired" are questions about the clinic's calendar, not about UTC: a 19:30 dose in Chicago is
 * on the clinic's Tuesday even though it is already Wednesday in UTC. The time zone is passed in;
 * left out, the device's zone is used (a desktop app runs in the clinic).
 */
/** YYYY-MM-DD, as the CalendarDate schema in shared/model/common parses it. */
export type CalendarDate = string;

const DAY_MS = 86_400_000;

/** The clinic's calendar date (YYYY-MM-DD) at an instant. */
export function clinicDay(at: Date | string, timeZone?: string): CalendarDate {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a date: ${String(at)}`);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * An instant as the clinic reads it in a message, on the 24-hour clock: "15:10", or with its day
 * ("Nov 21, 2026 15:10") when it is not on the clinic day of `sameDayAs`.
 */
export function clinicTime(at: Date | string, timeZone?: string, sameDayAs?: Date | string) {
  const date = typeof at === 'string' ? new Date(at) : at;
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  const day = clinicDay(date, timeZone);
  if (sameDayAs !== undefined && clinicDay(sameDayAs, timeZone) === day) return time;
  const [y, m, d] = day.split('-').map(Number);
  return `${MONTHS[m! - 1]} ${d}, ${y} ${time}`;
}

function dayNumber(day: CalendarDate): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!) / DAY_MS;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return dayNumber(to) - dayNumber(from);
}

/**
 * The same day of the month `months` later; a day the target month lacks becomes its last day
 * (31 Jan + 1 month = 28/29 Feb, 29 Feb + 24 months = 28 Feb).
 */
export function addMonths(day: CalendarDate, months: number): CalendarDate {
  const [y, m, d] = day.split('-').map(Number);
  const first = new Date(Date.UTC(y!, m! - 1 + months, 1));
  const lastDay = new Date(
    Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0),
  ).getUTCDate();
  first.setUTCDate(Math.min(d!, lastDay));
  return first.toISOString().slice(0, 10);
}

export const minutesBetween = (from: Date | string, to: Date | string): number =>
  (new Date(to).getTime() - new Date(from).getTime()) / 60_000;
