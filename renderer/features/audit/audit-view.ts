/**
 * How the administrator's audit table is ordered and which review period it shows (issue 18,
 * point 7: "the audit log for a privacy officer … sorting, date presets"). Pure, so the screen and
 * its tests agree.
 */
import type { AuditEntry } from '../../db/audit-repository';
import { actionLabel } from './audit-labels';
import { localDay } from './DayRange';

export type AuditSortColumn = 'at' | 'action' | 'user' | 'patient' | 'record' | 'computer';
export type AuditSort = { column: AuditSortColumn; direction: 'ascending' | 'descending' };

/** Newest first: what a reviewer expects to see on opening the log. */
export const DEFAULT_AUDIT_SORT: AuditSort = { column: 'at', direction: 'descending' };

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

const sortText: Record<Exclude<AuditSortColumn, 'at'>, (e: AuditEntry) => string> = {
  action: (e) => actionLabel(e.action),
  user: (e) => e.userName,
  patient: (e) => e.patientName,
  record: (e) => e.recordWords,
  computer: (e) => e.deviceLabel,
};

const byTimeNewestFirst = (a: AuditEntry, b: AuditEntry) =>
  a.at === b.at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.at < b.at ? 1 : -1;

/**
 * A new array in the asked order. Text columns compare as people read them (case and accents
 * aside, numbers by value); rows with the same text stay newest first; events with no patient
 * (sign-ins, exports of the whole log) come last whichever way, so they never push the patients
 * a reviewer is looking for off the screen.
 */
export function sortAuditEntries(entries: readonly AuditEntry[], sort: AuditSort): AuditEntry[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  if (sort.column === 'at') return [...entries].sort((a, b) => -sign * byTimeNewestFirst(a, b));
  const text = sortText[sort.column];
  return [...entries].sort((a, b) => {
    const x = text(a);
    const y = text(b);
    if (!x !== !y) return x ? -1 : 1;
    return sign * collator.compare(x, y) || byTimeNewestFirst(a, b);
  });
}

/** Clicking a column header: the same column turns around; another starts in its natural order. */
export function nextAuditSort(current: AuditSort, column: AuditSortColumn): AuditSort {
  if (current.column === column)
    return {
      column,
      direction: current.direction === 'ascending' ? 'descending' : 'ascending',
    };
  return { column, direction: column === 'at' ? 'descending' : 'ascending' };
}

/** Review periods a privacy officer asks for (a daily look, monthly and quarterly reviews, a year). */
export const AUDIT_PRESETS = [
  { key: 'today', label: 'Today', days: 1 },
  { key: '7d', label: 'Last 7 days', days: 7 },
  { key: '30d', label: 'Last 30 days', days: 30 },
  { key: '90d', label: 'Last 90 days', days: 90 },
  { key: '12m', label: 'Last 12 months', days: 365 },
  { key: 'all', label: 'All time', days: 0 },
] as const;
export type AuditPreset = (typeof AUDIT_PRESETS)[number]['key'];

/** The from/to days of a preset, counted in whole local days ending today; All time is open. */
export function presetDays(preset: AuditPreset, today = new Date()): { from: string; to: string } {
  const days = AUDIT_PRESETS.find((p) => p.key === preset)!.days;
  if (!days) return { from: '', to: '' };
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1));
  return { from: localDay(start), to: localDay(today) };
}

/** Which preset the typed days are, if any (so the matching button shows pressed). */
export function presetOf(from: string, to: string, today = new Date()): AuditPreset | undefined {
  return AUDIT_PRESETS.find((p) => {
    const d = presetDays(p.key, today);
    return d.from === from && d.to === to;
  })?.key;
}
