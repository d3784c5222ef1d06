import { describe, expect, it } from 'vitest';
import {
  addVitals,
  doseFindings,
  overrideDoseFinding,
  signDose,
  startDose,
  updateDose,
} from './dose-repository';
import {
  NOW,
  at,
  clinicWithPatient,
  signedConsents,
  signedEligible,
} from './dose-repository.fixtures';
import {
  homePrograms,
  prescribeHomeProgram,
  refillHomeProgram,
  startHomeSession,
} from './home-program-repository';
import { inventoryView } from './inventory-repository';
import type { RecordStore } from './record-store';
import { MAYA } from './test-support';

const troches = (patientId: string) => ({
  patientId,
  medication: 'ketamine-hcl' as const,
  form: 'sublingual-troche' as const,
  strengthMg: 200,
  quantity: 2,
  sessionsAllowed: 2,
  instructions: 'Dissolve one troche under the tongue at the start of the check-in.',
  monitorName: 'Daniel Okafor',
  refillsAllowed: 1,
});

async function sessionTaken(store: RecordStore, prescriptionId: string, bp: [number, number]) {
  const { dose } = await startHomeSession(store, prescriptionId, NOW);
  await addVitals(store, dose.id, {
    at: at(-10),
    systolic: bp[0],
    diastolic: bp[1],
    heartRate: 78,
    label: 'baseline',
  });
  return updateDose(store, dose.id, { administeredAt: at(0), monitorPresent: true }, NOW);
}

describe('at-home programs', () => {
  it('needs an eligible patient with a current at-home consent; never esketamine', async () => {
    const { store, patientId } = await clinicWithPatient();
    await expect(prescribeHomeProgram(store, troches(patientId), NOW)).rejects.toThrow(
      /No signed eligibility evaluation/,
    );
    await signedEligible(store, patientId);
    await signedConsents(store, patientId, 'in-office-iv');
    await expect(prescribeHomeProgram(store, troches(patientId), NOW)).rejects.toThrow(
      /No current consent for at-home treatment: .*not signed/,
    );
    await signedConsents(store, patientId, 'at-home-troches');
    await expect(
      prescribeHomeProgram(
        store,
        { ...troches(patientId), medication: 'esketamine-nasal' as never },
        NOW,
      ),
    ).rejects.toThrow(/Esketamine is in-office only/);
    await expect(
      prescribeHomeProgram(store, { ...troches(patientId), monitorName: ' ' }, NOW),
    ).rejects.toThrow(/Name the treatment monitor/);
    const rx = await prescribeHomeProgram(store, troches(patientId), NOW);
    expect(rx.status).toBe('signed');
  });

  it('two sessions allowed: the third is refused until a refill; at-home thresholds apply', async () => {
    const { store, patientId } = await clinicWithPatient();
    await signedEligible(store, patientId);
    await signedConsents(store, patientId, 'at-home-troches');
    const rx = await prescribeHomeProgram(store, troches(patientId), NOW);

    // 150/88 passes at home (160/90), where in the clinic it would need a reason (140/90)
    const first = await sessionTaken(store, rx.id, [150, 88]);
    expect(await doseFindings(store, first, NOW)).toEqual([]);
    const { dose: signed, administration } = await signDose(store, first.id, NOW);
    expect(signed.status).toBe('signed');
    expect(administration).toBeUndefined(); // dispensed medication, not clinic stock
    expect((await inventoryView(store)).entries).toHaveLength(0);

    // 166/94 reported: needs an acknowledgement with a reason before the dose is taken
    await expect(sessionTaken(store, rx.id, [166, 94])).rejects.toThrow(
      /Dosing cannot start yet: Pre-dose blood pressure 166\/94 is above 160\/90/,
    );
    const second = (await store.listByPatient('dose', patientId)).find((d) => !d.administeredAt)!;
    expect((await doseFindings(store, second, NOW)).map((f) => f.rule)).toContain(
      'bp.above-threshold',
    );
    await overrideDoseFinding(
      store,
      second.id,
      'bp.above-threshold',
      'Repeat 148/86 after 10 minutes of rest, reported by the monitor',
      NOW,
    );
    await updateDose(store, second.id, { administeredAt: at(0), monitorPresent: true }, NOW);
    await signDose(store, second.id, NOW);

    let [program] = await homePrograms(store, patientId);
    expect(program?.status).toMatchObject({ sessionsAllowed: 2, sessionsUsed: 2, sessionsLeft: 0 });
    await expect(startHomeSession(store, rx.id, NOW)).rejects.toThrow(
      /All 2 sessions on this prescription are used — issue a refill \(1 left\)/,
    );
    expect((await store.listByPatient('dose', patientId)).length).toBe(2); // nothing written

    const refill = await refillHomeProgram(store, rx.id, NOW);
    expect(refill.refillOf).toBe(rx.id);
    await expect(refillHomeProgram(store, rx.id, NOW)).rejects.toThrow(
      /All 1 refills of this prescription are used/,
    );
    [program] = await homePrograms(store, patientId);
    expect(program?.status).toMatchObject({ sessionsAllowed: 4, sessionsLeft: 2, refillsLeft: 0 });
    const third = await startHomeSession(store, rx.id, NOW);
    expect(third.dose).toMatchObject({ setting: 'at-home', homePrescriptionId: refill.id });
  });

  it('without the monitor present the session cannot be signed; it cannot be moved to the clinic', async () => {
    const { store, patientId } = await clinicWithPatient();
    await signedEligible(store, patientId);
    await signedConsents(store, patientId, 'at-home-troches');
    const rx = await prescribeHomeProgram(store, troches(patientId), NOW);
    const session = await sessionTaken(store, rx.id, [128, 80]);
    await updateDose(store, session.id, { monitorPresent: false }, NOW);
    await expect(signDose(store, session.id, NOW)).rejects.toThrow(
      /The treatment monitor \(Daniel Okafor\) must be present/,
    );
    await expect(updateDose(store, session.id, { setting: 'in-office' }, NOW)).rejects.toThrow(
      /setting cannot be changed/,
    );
  });

  it("an at-home dose recorded without a prescription, or on another patient's, cannot be given or signed", async () => {
    const { store, patientId } = await clinicWithPatient();
    await signedEligible(store, patientId);
    await signedConsents(store, patientId, 'at-home-troches');
    // Straight through the dose repository, not the at-home program screen.
    const { dose } = await startDose(
      store,
      {
        patientId,
        medication: 'ketamine-hcl',
        route: 'sublingual-troche',
        doseMg: 200,
        setting: 'at-home',
      },
      NOW,
    );
    await addVitals(store, dose.id, {
      at: at(-10),
      systolic: 128,
      diastolic: 80,
      heartRate: 72,
      label: 'baseline',
    });
    expect((await doseFindings(store, dose, NOW)).map((f) => f.rule)).toContain(
      'home.no-prescription',
    );
    await expect(
      updateDose(store, dose.id, { administeredAt: at(0), monitorPresent: true }, NOW),
    ).rejects.toThrow(/needs the prescription it counts against/);
    await expect(signDose(store, dose.id, NOW)).rejects.toThrow(/needs the prescription/);

    const other = await store.create('patient', { ...MAYA, firstName: 'Jordan', lastName: 'Lee' });
    await signedEligible(store, other.id);
    await signedConsents(store, other.id, 'at-home-troches');
    const rx = await prescribeHomeProgram(store, troches(other.id), NOW);
    const { dose: mixed } = await startDose(
      store,
      {
        patientId,
        medication: 'ketamine-hcl',
        route: 'sublingual-troche',
        doseMg: 200,
        setting: 'at-home',
        homePrescriptionId: rx.id,
      },
      NOW,
    );
    expect((await doseFindings(store, mixed, NOW)).map((f) => f.rule)).toContain(
      'home.other-patient',
    );
  });
});
