import { describe, expect, it } from 'vitest';
import type { VitalSigns } from '../../model/dose';
import { nextVitalsDue, vitalsSeries } from './vitals';
import { esketamineDose, ivDose } from './test-fixtures';

const t = (hhmm: string) => `2026-11-21T${hhmm}:00.000Z`;
const now = (hhmm: string) => new Date(t(hhmm));
const reading = (hhmm: string, label: VitalSigns['label'] = 'interval'): VitalSigns => ({
  at: t(hhmm),
  systolic: 128,
  diastolic: 82,
  heartRate: 74,
  label,
});

describe('ketamine: baseline, then every interval', () => {
  it('asks for baseline first, overdue once the dose time has passed without one', () => {
    const notStarted = ivDose({ vitals: [], infusionStart: undefined });
    expect(nextVitalsDue(notStarted, now('09:50'), 15)).toEqual({
      dueAt: t('09:50'),
      label: 'baseline',
      text: 'Baseline vitals before dosing',
      overdue: false,
    });
    expect(nextVitalsDue(ivDose({ vitals: [] }), now('10:01'), 15)).toMatchObject({
      label: 'baseline',
      dueAt: t('10:00'),
      overdue: true,
    });
  });

  it('has nothing due between baseline and the start of dosing', () => {
    expect(nextVitalsDue(ivDose({ infusionStart: undefined }), now('09:58'), 15)).toBeUndefined();
  });

  it('counts the interval from the last reading; due at the minute, overdue after it', () => {
    const dose = ivDose(); // baseline 09:55, start 10:00
    expect(nextVitalsDue(dose, now('10:10'), 15)).toEqual({
      dueAt: t('10:10'),
      label: 'interval',
      text: 'Vitals (every 15 min)',
      overdue: false,
    });
    expect(nextVitalsDue(dose, now('10:11'), 15)?.overdue).toBe(true);
    const later = ivDose({ vitals: [...dose.vitals, reading('10:12')] });
    expect(nextVitalsDue(later, now('10:13'), 15)?.dueAt).toBe(t('10:27'));
    expect(nextVitalsDue(later, now('10:13'), 5)?.dueAt).toBe(t('10:17'));
  });

  it('stops reminding once the patient is discharged', () => {
    const discharged = ivDose({
      discharge: {
        at: t('11:30'),
        vitalsNearBaseline: true,
        sedationResolved: true,
        dissociationResolved: true,
        alertAndOriented: true,
        noDrivingInstructionGiven: false,
      },
    });
    expect(nextVitalsDue(discharged, now('11:45'), 15)).toBeUndefined();
  });
});

describe('esketamine: before dosing, ~40 min after, before discharge', () => {
  it('walks through the three checks of the label', () => {
    const dosed = esketamineDose(); // baseline 09:50, dose 10:00
    expect(nextVitalsDue(dosed, now('10:05'), 15)).toEqual({
      dueAt: t('10:40'),
      label: 'post-dose-40',
      text: 'Blood pressure about 40 minutes after the dose',
      overdue: false,
    });

    const at40 = esketamineDose({ vitals: [...dosed.vitals, reading('10:41')] });
    expect(nextVitalsDue(at40, now('10:45'), 15)).toEqual({
      dueAt: t('12:00'),
      label: 'pre-discharge',
      text: 'Blood pressure before discharge',
      overdue: false,
    });

    const done = esketamineDose({ vitals: [...at40.vitals, reading('12:02', 'pre-discharge')] });
    expect(nextVitalsDue(done, now('12:05'), 15)).toBeUndefined();
  });

  it('does not count an early interval reading as the 40-minute check', () => {
    const early = esketamineDose({ vitals: [reading('09:50', 'baseline'), reading('10:20')] });
    expect(nextVitalsDue(early, now('10:41'), 15)).toMatchObject({
      label: 'post-dose-40',
      overdue: true,
    });
    const labelled = esketamineDose({
      vitals: [reading('09:50', 'baseline'), reading('10:33', 'post-dose-40')],
    });
    expect(nextVitalsDue(labelled, now('10:41'), 15)?.label).toBe('pre-discharge');
  });
});

describe('chart series', () => {
  it('orders readings in time with minutes from the dose', () => {
    const dose = ivDose({
      vitals: [reading('10:30'), reading('09:55', 'baseline'), reading('10:15')],
    });
    expect(vitalsSeries(dose).map((p) => [p.minute, p.label])).toEqual([
      [-5, 'baseline'],
      [15, 'interval'],
      [30, 'interval'],
    ]);
    expect(vitalsSeries(dose)[0]).toEqual({
      at: t('09:55'),
      minute: -5,
      systolic: 128,
      diastolic: 82,
      heartRate: 74,
      label: 'baseline',
    });
  });

  it('counts from the first reading before the dose is given', () => {
    const dose = ivDose({ infusionStart: undefined, vitals: [reading('09:55'), reading('09:40')] });
    expect(vitalsSeries(dose).map((p) => p.minute)).toEqual([0, 15]);
  });
});
