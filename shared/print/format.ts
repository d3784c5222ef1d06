/**
 * Dates and times on printouts: month names (never 03/04 vs 04/03 ambiguity) and the clinic's
 * time zone with its abbreviation, so a paper record says when something happened unambiguously.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "1984-03-07" → "Mar 7, 1984" (a calendar date: no time zone shift). */
export function formatCalendarDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return `${MONTHS[Number(m[2]) - 1]} ${Number(m[3])}, ${m[1]}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      ...(withTime ? { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

/** An instant in the clinic's zone: "Mar 4, 2026, 2:05 PM MST". */
export function formatInstant(instant: string | Date, timeZone = 'UTC'): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(d.getTime())) return String(instant);
  return formatter(timeZone, true)
    .format(d)
    .replace(/\u202f/g, ' ');
}

/** The calendar day of an instant in the clinic's zone: "Mar 4, 2026". */
export function formatDay(instant: string | Date, timeZone = 'UTC'): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(d.getTime())) return String(instant);
  return formatter(timeZone, false).format(d);
}

/** Clock time only, for schedules: "2:05 PM". */
export function formatTime(instant: string | Date, timeZone = 'UTC'): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  return new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' })
    .format(d)
    .replace(/\u202f/g, ' ');
}
