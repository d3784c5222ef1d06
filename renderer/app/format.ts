import { chartStoreFailureMessage } from '../db/storage-health';

/**
 * Dates in the user's locale; clinical times to the minute on the 24-hour clock everywhere
 * ("14:05", never "2:05 PM" beside "14:05": a charted time must read one way only).
 */
const H23 = { hourCycle: 'h23' } as const;
const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
  ...H23,
});
const timeFmt = new Intl.DateTimeFormat(undefined, { timeStyle: 'short', ...H23 });

/** A calendar date (YYYY-MM-DD) is a local date, not midnight UTC. */
export function formatCalendarDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return dateFmt.format(new Date(y, m - 1, d));
}
export const formatDate = (iso: string) => dateFmt.format(new Date(iso));
export const formatDateTime = (iso: string) => dateTimeFmt.format(new Date(iso));
export const formatTime = (iso: string) => timeFmt.format(new Date(iso));

/**
 * How long ago, where that reads faster than a date: "just now", "2 minutes ago", "3 hours ago";
 * from a day on (or a time ahead of this computer's clock) the local date and time.
 */
export function formatAgo(iso: string, now = Date.now()): string {
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (s < -60) return formatDateTime(iso);
  if (s < 60) return 'just now';
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'} ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} hour${h === 1 ? '' : 's'} ago`;
  return formatDateTime(iso);
}

/** "1 hour 5 minutes", "40 minutes". */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  const parts = [];
  if (h) parts.push(`${h} hour${h === 1 ? '' : 's'}`);
  if (m || !h) parts.push(`${m} minute${m === 1 ? '' : 's'}`);
  return parts.join(' ');
}

export function errorMessage(e: unknown): string {
  // Out of space, a failed transaction, a store closed by a newer window: say so in plain words.
  const storage = chartStoreFailureMessage(e);
  if (storage) return storage;
  if (e && typeof e === 'object' && 'message' in e && typeof e.message === 'string')
    return e.message;
  return 'Something went wrong. Try again; if it keeps happening, contact support.';
}
