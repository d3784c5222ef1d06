import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../db/audit-repository';
import {
  DEFAULT_AUDIT_SORT,
  nextAuditSort,
  presetDays,
  presetOf,
  sortAuditEntries,
} from './audit-view';

const entry = (id: string, at: string, more: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at,
  action: 'view',
  userId: 'u',
  userName: 'Alex Admin',
  deviceId: 'd',
  deviceLabel: 'This computer',
  recordKind: '',
  recordWords: '',
  recordId: '',
  patientId: '',
  patientName: '',
  detail: '',
  ...more,
});

const ids = (es: AuditEntry[]) => es.map((e) => e.id);

describe('audit log order', () => {
  const events = [
    entry('a', '2026-12-01T09:00:00.000Z', { patientName: 'okafor, Maya', action: 'print' }),
    entry('b', '2026-12-03T09:00:00.000Z', { patientName: 'Berg, Jonas' }),
    entry('c', '2026-12-02T09:00:00.000Z', { action: 'sign-in' }),
    entry('d', '2026-12-02T09:00:00.000Z', { patientName: 'Ávila, Rosa', action: 'sign' }),
  ];

  it('opens newest first, and turns around on the same header', () => {
    expect(ids(sortAuditEntries(events, DEFAULT_AUDIT_SORT))).toEqual(['b', 'd', 'c', 'a']);
    const oldest = nextAuditSort(DEFAULT_AUDIT_SORT, 'at');
    expect(oldest).toEqual({ column: 'at', direction: 'ascending' });
    expect(ids(sortAuditEntries(events, oldest))).toEqual(['a', 'c', 'd', 'b']);
  });

  it('sorts patients as people read names, accents and case aside, with no patient last', () => {
    const byPatient = nextAuditSort(DEFAULT_AUDIT_SORT, 'patient');
    expect(byPatient.direction).toBe('ascending');
    expect(ids(sortAuditEntries(events, byPatient))).toEqual(['d', 'b', 'a', 'c']);
    const reversed = nextAuditSort(byPatient, 'patient');
    expect(ids(sortAuditEntries(events, reversed))).toEqual(['a', 'b', 'd', 'c']);
  });

  it('sorts actions by their words, and keeps ties newest first', () => {
    const more = [...events, entry('e', '2026-12-04T09:00:00.000Z', { action: 'print' })];
    const byAction = sortAuditEntries(more, { column: 'action', direction: 'ascending' });
    // Printed, Printed (newest first), Signed, Signed in, Viewed chart.
    expect(ids(byAction)).toEqual(['e', 'a', 'd', 'c', 'b']);
  });

  it('leaves the list it was given as it was', () => {
    const before = ids(events);
    sortAuditEntries(events, { column: 'patient', direction: 'ascending' });
    expect(ids(events)).toEqual(before);
  });
});

describe('review periods', () => {
  const today = new Date(2026, 11, 7, 15, 30); // 7 December 2026, local time

  it('counts whole local days ending today', () => {
    expect(presetDays('today', today)).toEqual({ from: '2026-12-07', to: '2026-12-07' });
    expect(presetDays('7d', today)).toEqual({ from: '2026-12-01', to: '2026-12-07' });
    expect(presetDays('30d', today)).toEqual({ from: '2026-11-08', to: '2026-12-07' });
    expect(presetDays('12m', today)).toEqual({ from: '2025-12-08', to: '2026-12-07' });
    expect(presetDays('all', today)).toEqual({ from: '', to: '' });
  });

  it('recognises a preset from the days typed, and nothing else', () => {
    expect(presetOf('2026-12-01', '2026-12-07', today)).toBe('7d');
    expect(presetOf('', '', today)).toBe('all');
    expect(presetOf('2026-12-02', '2026-12-07', today)).toBeUndefined();
  });
});
