import { describe, expect, it } from 'vitest';
import { isOpenSession, openSessions } from './session';
import { esketamineDose, ivDose } from './test-fixtures';

const discharge = {
  at: '2026-11-21T11:30:00.000Z',
  vitalsNearBaseline: true,
  sedationResolved: true,
  dissociationResolved: true,
  alertAndOriented: true,
  escortName: 'Daniel Okafor',
};

describe('an open dosing session', () => {
  it('is an unsigned in-office dose that has been started and not discharged', () => {
    expect(isOpenSession(ivDose({ infusionEnd: undefined, totalGivenMg: undefined }))).toBe(true);
    // the infusion has ended but the patient is still in the chair until discharge
    expect(isOpenSession(ivDose())).toBe(true);
    expect(isOpenSession(esketamineDose())).toBe(true);
  });

  it('has not begun before the dose is given', () => {
    expect(isOpenSession(ivDose({ infusionStart: undefined, infusionEnd: undefined }))).toBe(false);
    expect(isOpenSession(esketamineDose({ administeredAt: undefined }))).toBe(false);
  });

  it('is over at discharge, at signing, and does not apply at home', () => {
    expect(
      isOpenSession(ivDose({ discharge: { ...discharge, noDrivingInstructionGiven: true } })),
    ).toBe(false);
    expect(isOpenSession(ivDose({ status: 'signed' }))).toBe(false);
    expect(isOpenSession(ivDose({ status: 'entered-in-error' }))).toBe(false);
    expect(isOpenSession(ivDose({ setting: 'at-home' }))).toBe(false);
  });

  it('lists the open ones, the earliest started first', () => {
    const late = ivDose({ infusionStart: '2026-11-21T10:30:00.000Z' });
    const early = esketamineDose({ administeredAt: '2026-11-21T09:40:00.000Z' });
    const done = ivDose({ status: 'signed' });
    expect(openSessions([late, done, early]).map((d) => d.id)).toEqual([early.id, late.id]);
  });
});
