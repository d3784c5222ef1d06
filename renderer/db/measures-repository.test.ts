import { afterEach, describe, expect, it } from 'vitest';
import type { Appointment, Encounter, OutcomeMeasure } from '../../shared/model';
import type { KatDatabase } from './database';
import { answersWithSkips, measureTrend, nextVisit, recordMeasure } from './measures-repository';
import { addMaya, freshClinic } from './test-support';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

async function setup() {
  const c = await freshClinic();
  opened.push(c.db);
  const patient = await addMaya(c.store);
  return { ...c, patient };
}

describe('measures repository', () => {
  it('stores a complete PHQ-9 signed, with its item-9 alert in the result', async () => {
    const { store, patient } = await setup();
    const { measure, result } = await recordMeasure(store, {
      patientId: patient.id,
      instrument: 'phq9',
      answers: [1, 1, 1, 1, 1, 1, 1, 1, 1],
    });
    expect(measure.status).toBe('signed');
    expect(result.total).toBe(9);
    expect(result.band.label).toBe('Mild');
    expect(result.alerts.map((a) => a.code)).toContain('phq9.item9');
  });

  it('refuses an unfinished questionnaire and stores nothing', async () => {
    const { store, patient } = await setup();
    await expect(
      recordMeasure(store, {
        patientId: patient.id,
        instrument: 'gad7',
        answers: [1, 2, null, 0, 0, 0, 0],
      }),
    ).rejects.toThrow(/question 3/);
    expect(await store.listByPatient('measure', patient.id)).toEqual([]);
  });

  it('counts C-SSRS questions 3–5 as 0 when question 2 is "No"', () => {
    expect(answersWithSkips('cssrs-screener', [1, 0, null, null, null, 0])).toEqual([
      1, 0, 0, 0, 0, 0,
    ]);
    expect(answersWithSkips('cssrs-screener', [1, 1, null, 1, 0, 0])).toEqual([
      1,
      1,
      null,
      1,
      0,
      0,
    ]);
  });

  it('plots totals oldest first and leaves out entries marked in error', () => {
    const m = (id: string, at: string, answers: number[], status = 'signed') =>
      ({ id, instrument: 'phq9', administeredAt: at, answers, status }) as OutcomeMeasure;
    const trend = measureTrend(
      [
        m('b', '2026-03-10T10:00:00Z', [2, 2, 2, 2, 2, 2, 2, 2, 0]),
        m('a', '2026-03-01T10:00:00Z', [3, 3, 3, 3, 3, 3, 3, 3, 0]),
        m('c', '2026-03-20T10:00:00Z', [0, 0, 0, 0, 0, 0, 0, 0, 0], 'entered-in-error'),
      ],
      'phq9',
    );
    expect(trend.map((p) => [p.total, p.band])).toEqual([
      [24, 'Severe'],
      [16, 'Moderately severe'],
    ]);
  });

  it('finds the next visit, counting one under way today', () => {
    const now = new Date('2026-03-04T15:00:00Z');
    const appt = (start: string, cancelled = false) =>
      ({ start, visitKind: 'dosing', cancelled, status: 'draft' }) as Appointment;
    const enc = {
      id: 'e1',
      start: '2026-03-04T14:00:00Z',
      visitKind: 'integration',
      status: 'draft',
    } as Encounter;
    expect(nextVisit([appt('2026-03-06T14:00:00Z')], [enc], now)).toMatchObject({ id: 'e1' });
    expect(
      nextVisit([appt('2026-03-05T09:00:00Z', true), appt('2026-03-06T14:00:00Z')], [], now),
    ).toEqual({
      visitKind: 'dosing',
      start: '2026-03-06T14:00:00Z',
    });
    expect(nextVisit([appt('2026-03-01T09:00:00Z')], [], now)).toBeUndefined();
  });
});
