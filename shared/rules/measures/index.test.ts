import { describe, expect, it } from 'vitest';
import { INSTRUMENTS, type OutcomeMeasure } from '../../model/measure';
import { MEASURES, chartAlerts, chartBands, scoreMeasure } from '.';

type M = Pick<OutcomeMeasure, 'id' | 'instrument' | 'administeredAt' | 'answers' | 'status'>;
const phq9 = (id: string, day: number, item9: number, status: M['status'] = 'signed'): M => ({
  id,
  instrument: 'phq9',
  administeredAt: `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`,
  answers: [1, 1, 1, 1, 1, 1, 1, 1, item9],
  status,
});

describe('measure registry', () => {
  it('has a definition for every instrument a record can name', () => {
    expect(Object.keys(MEASURES).sort()).toEqual([...INSTRUMENTS].sort());
  });

  it('scores through the registry by instrument key', () => {
    expect(scoreMeasure('gad7', [3, 3, 3, 3, 3, 0, 0]).band.label).toBe('Severe');
  });

  it('gives chart bands for instruments with a total, none for the C-SSRS screener', () => {
    expect(chartBands('phq9')?.map((b) => b.min)).toEqual([0, 5, 10, 15, 20]);
    expect(chartBands('cssrs-screener')).toBeNull();
  });
});

describe('alerts kept on the chart', () => {
  it('keeps the item-9 alert of the latest PHQ-9 on the chart', () => {
    const alerts = chartAlerts([phq9('a', 1, 0), phq9('b', 8, 2)]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ code: 'phq9.item9', measureId: 'b', instrument: 'phq9' });
  });

  it('clears it when a newer PHQ-9 answers item 9 "Not at all"', () => {
    expect(chartAlerts([phq9('b', 8, 2), phq9('c', 15, 0)])).toEqual([]);
  });

  it('is neither raised nor cleared by a measure entered in error or an unfinished one', () => {
    const unfinished = { ...phq9('d', 20, 0), answers: [1, 1] };
    const inError = phq9('e', 21, 0, 'entered-in-error');
    const alerts = chartAlerts([phq9('b', 8, 2), unfinished, inError]);
    expect(alerts.map((a) => a.measureId)).toEqual(['b']);
    expect(chartAlerts([phq9('x', 8, 3, 'entered-in-error')])).toEqual([]);
  });

  it('lists critical alerts before warnings across instruments', () => {
    const cssrsLow: M = {
      id: 'f',
      instrument: 'cssrs-screener',
      administeredAt: '2026-11-20T10:00:00.000Z',
      answers: [1, 0, 0, 0, 0, 0],
      status: 'signed',
    };
    const alerts = chartAlerts([cssrsLow, phq9('g', 19, 1)]);
    expect(alerts.map((a) => a.severity)).toEqual(['critical', 'warning']);
  });
});
