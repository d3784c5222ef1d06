import { describe, expect, it } from 'vitest';
import type { Discharge, Observation, VitalSigns } from '../../model/dose';
import { dischargeMissing, earliestDischargeAt } from './discharge';
import { esketamineDose, ivDose } from './test-fixtures';

const t = (hhmm: string) => `2026-11-21T${hhmm}:00.000Z`;
const complete: Discharge = {
  at: t('11:30'),
  vitalsNearBaseline: true,
  sedationResolved: true,
  dissociationResolved: true,
  alertAndOriented: true,
  escortName: 'Jordan Lee (brother)',
  noDrivingInstructionGiven: false,
};
const preDischarge: VitalSigns = {
  at: t('11:55'),
  systolic: 126,
  diastolic: 80,
  heartRate: 70,
  label: 'pre-discharge',
};

describe('discharge after ketamine', () => {
  it('asks for the discharge when none is recorded', () => {
    expect(dischargeMissing(ivDose())).toEqual([
      'Record the discharge: time, criteria met, and the escort or transport home',
    ]);
  });

  it('is complete with every criterion met and an escort named', () => {
    expect(dischargeMissing(ivDose({ discharge: complete }))).toEqual([]);
  });

  it('lists each unmet criterion in plain words', () => {
    const d = ivDose({
      discharge: {
        ...complete,
        vitalsNearBaseline: false,
        sedationResolved: false,
        dissociationResolved: false,
        alertAndOriented: false,
        escortName: '  ',
      },
    });
    expect(dischargeMissing(d)).toEqual([
      'Confirm vital signs are back near baseline',
      'Confirm sedation has resolved',
      'Confirm dissociation has resolved',
      'Confirm the patient is alert and oriented',
      'Name the escort or the transport home',
    ]);
  });

  it('accepts transport in place of an escort', () => {
    const d = ivDose({
      discharge: { ...complete, escortName: undefined, transport: 'Clinic-arranged car' },
    });
    expect(dischargeMissing(d)).toEqual([]);
  });

  it('refuses a discharge time before the dose', () => {
    const d = ivDose({ discharge: { ...complete, at: t('09:30') } });
    expect(dischargeMissing(d)).toEqual([
      'The discharge time is before the dose — check the times',
    ]);
  });
});

const at40: VitalSigns = {
  at: t('10:40'),
  systolic: 138,
  diastolic: 86,
  heartRate: 78,
  label: 'post-dose-40',
};
const scored: Observation[] = [{ at: t('10:30'), moaas: 4, cadss: 12 }];

describe('discharge after esketamine', () => {
  const given = (
    discharge: Partial<Discharge>,
    vitals?: VitalSigns[],
    observations: Observation[] = scored,
  ) => {
    const base = esketamineDose(); // dose at 10:00
    return esketamineDose({
      vitals: vitals ?? [...base.vitals, at40, preDischarge],
      observations,
      discharge: { ...complete, noDrivingInstructionGiven: true, ...discharge },
    });
  };

  it('needs 120 minutes of observation: 119 is too soon, 120 is enough', () => {
    expect(dischargeMissing(given({ at: t('11:59') }))).toEqual([
      'Esketamine needs at least 120 minutes of observation after the dose; the discharge time is only 119 minutes after it',
    ]);
    expect(dischargeMissing(given({ at: t('12:00') }))).toEqual([]);
    expect(earliestDischargeAt(esketamineDose())).toBe(t('12:00'));
  });

  it('needs the no-driving instruction', () => {
    expect(dischargeMissing(given({ at: t('12:10'), noDrivingInstructionGiven: false }))).toEqual([
      'Give and record the instruction: no driving until the next day after restful sleep',
    ]);
  });

  it('needs a blood pressure taken before discharge', () => {
    expect(dischargeMissing(given({ at: t('12:10') }, [...esketamineDose().vitals, at40]))).toEqual(
      [
        'Take and record blood pressure before discharge (in the 30 minutes up to the discharge time)',
      ],
    );
  });

  it('counts a pre-discharge reading only in the 30 minutes up to discharge (issue 15)', () => {
    const early = { ...preDischarge, at: t('10:01') }; // labelled so, a minute after the dose
    const base = [...esketamineDose().vitals, at40];
    expect(dischargeMissing(given({ at: t('12:10') }, [...base, early]))).toEqual([
      'Take and record blood pressure before discharge (in the 30 minutes up to the discharge time)',
    ]);
    const edge = { ...preDischarge, at: t('11:40') };
    expect(dischargeMissing(given({ at: t('12:10') }, [...base, edge]))).toEqual([]); // 30 min
    const after = { ...preDischarge, at: t('12:11') };
    expect(dischargeMissing(given({ at: t('12:10') }, [...base, after]))).toHaveLength(1);
  });

  it('needs the ~40-minute blood pressure, taken 30–60 minutes after the dose', () => {
    const missing =
      'Record the blood pressure about 40 minutes after the dose (taken 30–60 minutes after it; Spravato label)';
    const base = esketamineDose().vitals;
    expect(dischargeMissing(given({ at: t('12:10') }, [...base, preDischarge]))).toEqual([missing]);
    for (const [hhmm, ok] of [
      ['10:29', false],
      ['10:30', true],
      ['11:00', true],
      ['11:01', false],
    ] as const) {
      const reading = { ...at40, at: t(hhmm) };
      expect(dischargeMissing(given({ at: t('12:10') }, [...base, reading, preDischarge]))).toEqual(
        ok ? [] : [missing],
      );
    }
  });

  it('needs MOAA/S and CADSS scores after the dose (REMS monitoring form)', () => {
    expect(dischargeMissing(given({ at: t('12:10') }, undefined, []))).toEqual([
      'Record a sedation score (MOAA/S) after the dose',
      'Record a dissociation score (CADSS or the clinic short form) after the dose',
    ]);
    const before = [{ at: t('09:55'), moaas: 5, cadss: 0 }];
    expect(dischargeMissing(given({ at: t('12:10') }, undefined, before))).toHaveLength(2);
    const onlyMoaas = [{ at: t('10:30'), moaas: 4 }];
    expect(dischargeMissing(given({ at: t('12:10') }, undefined, onlyMoaas))).toEqual([
      'Record a dissociation score (CADSS or the clinic short form) after the dose',
    ]);
  });

  it('needs the time the dose was given', () => {
    const d = esketamineDose({
      administeredAt: undefined,
      discharge: { ...complete, at: t('12:10'), noDrivingInstructionGiven: true },
    });
    expect(dischargeMissing(d)).toEqual(['Record when the esketamine dose was given']);
  });
});
