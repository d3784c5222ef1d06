/**
 * The dose record's one autosave against the real repository (issue 15, deliverable 5): what is
 * typed reaches the record without a Save button, a value a gate refuses is named with the gate's
 * own words and holds nothing else back, and the start of administration is never written by it.
 */
import { describe, expect, it } from 'vitest';
import { startDose } from '../../db/dose-repository';
import {
  NOW,
  clinicWithPatient,
  ivDose,
  lotOf,
  signedConsents,
  signedEligible,
} from '../../db/dose-repository.fixtures';
import { DoseFieldsRefused, dischargeHeld, doseFormOf, saveDoseForm } from './dose-record-form';

async function draftDose() {
  const { store, patientId } = await clinicWithPatient();
  await signedEligible(store, patientId);
  await signedConsents(store, patientId, 'in-office-iv');
  const { dose } = await startDose(store, ivDose(patientId), NOW);
  return { store, dose };
}

describe('the dose record autosave', () => {
  it('writes the typed weight and rate into the record, and only what differs', async () => {
    const { store, dose } = await draftDose();
    const form = { ...doseFormOf(dose), weightKg: 70, weightMeasuredOn: '2026-12-01' };
    const after = await saveDoseForm(store, dose.id, { ...form, initialRateMgPerHour: 52.5 });
    const stored = (await store.get('dose', dose.id))!;
    expect(stored).toMatchObject({ weightKg: 70, weightMeasuredOn: '2026-12-01' });
    expect(stored.initialRateMgPerHour).toBe(52.5);
    expect(after).toEqual(doseFormOf(stored));
    // the start of administration is not among the autosaved fields
    expect(stored.infusionStart).toBeUndefined();
  });

  it('names a refused lot in the gate’s words and still saves the weight typed with it', async () => {
    const { store, dose } = await draftDose();
    const { lot } = await lotOf(store, { expiry: '2026-11-20', lotNumber: 'OLD1' });
    const form = { ...doseFormOf(dose), weightKg: 71, lotId: lot.id };
    const refusal = await saveDoseForm(store, dose.id, form).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DoseFieldsRefused);
    expect((refusal as DoseFieldsRefused).refused).toEqual({
      lotId: expect.stringMatching(/Lot OLD1 expired on 2026-11-20/),
    });
    const stored = (await store.get('dose', dose.id))!;
    expect(stored.weightKg).toBe(71);
    expect(stored.lotId).toBeUndefined();
  });

  it('keeps discharge ticks off the record until the discharge time is given', async () => {
    const { store, dose } = await draftDose();
    const ticked = { ...doseFormOf(dose), sedationResolved: true, escortName: 'Daniel Okafor' };
    expect(dischargeHeld(ticked, dose)).toBe(true);
    await saveDoseForm(store, dose.id, ticked);
    expect((await store.get('dose', dose.id))!.discharge).toBeUndefined();

    const timed = { ...ticked, dischargedAt: '2026-12-07T11:30' };
    expect(dischargeHeld(timed, dose)).toBe(false);
    await saveDoseForm(store, dose.id, timed);
    expect((await store.get('dose', dose.id))!.discharge).toMatchObject({
      sedationResolved: true,
      vitalsNearBaseline: false,
      escortName: 'Daniel Okafor',
      at: new Date('2026-12-07T11:30').toISOString(),
    });
  });
});
