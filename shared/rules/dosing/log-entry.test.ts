import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../util/ids';
import { administrationFromDose } from './log-entry';
import { esketamineDose, ivDose, lot, nurseId, patientId } from './test-fixtures';

describe('administration entry from a signed dose', () => {
  const signed = ivDose({ status: 'signed' }); // 35 mg, infusion from 10:00

  it('converts the dose to the lot unit and names patient, time and who gave it', () => {
    expect(administrationFromDose(signed, lot())).toEqual({
      lotId: signed.lotId,
      type: 'administration',
      quantity: -0.7, // 35 mg at 50 mg/ml
      occurredAt: '2026-11-21T10:00:00.000Z',
      doseId: signed.id,
      patientId,
      performedBy: nurseId,
    });
    expect(administrationFromDose(signed, lot({ unit: 'mg' })).quantity).toBe(-35);
  });

  it('logs what actually went in when an infusion stopped early', () => {
    const stopped = ivDose({ status: 'signed', totalGivenMg: 30 });
    expect(administrationFromDose(stopped, lot()).quantity).toBe(-0.6);
  });

  it('counts esketamine in 28 mg devices', () => {
    const devices = lot({
      medication: 'esketamine-nasal',
      unit: 'device',
      concentrationMgPerMl: undefined,
    });
    const dose = (doseMg: number) => ({ ...esketamineDose({ doseMg }), status: 'signed' as const });
    expect(administrationFromDose(dose(56), devices).quantity).toBe(-2);
    expect(administrationFromDose(dose(84), devices).quantity).toBe(-3);
    expect(administrationFromDose(dose(84), devices).occurredAt).toBe('2026-11-21T10:00:00.000Z');
  });

  it('refuses an unsigned dose, another lot, or a lot it cannot convert to', () => {
    expect(() => administrationFromDose(ivDose(), lot())).toThrow(/Sign the dose record first/);
    expect(() => administrationFromDose(signed, lot({ id: uuidv7() }))).toThrow(/different lot/);
    expect(() => administrationFromDose(signed, lot({ concentrationMgPerMl: undefined }))).toThrow(
      /counted in ml but has no concentration/,
    );
    expect(() => administrationFromDose(signed, lot({ medication: 'esketamine-nasal' }))).toThrow(
      /different medication/,
    );
  });
});
