/**
 * An override justifies the values the prescriber saw (issue 15, finding 1): a reason given for
 * 1.1 mg/kg is not a reason for 5 mg/kg. Each kind of override is recorded, the value it justified
 * is then edited, and signing must be refused with the finding asking again.
 */
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
  ivDose,
  lotOf,
  signedConsents,
  signedEligible,
} from './dose-repository.fixtures';
import { inventoryView } from './inventory-repository';

const discharge = {
  at: at(90),
  vitalsNearBaseline: true,
  sedationResolved: true,
  dissociationResolved: true,
  alertAndOriented: true,
  escortName: 'Daniel Okafor',
  noDrivingInstructionGiven: true,
};

/** An IV dose of `doseMg` for a 70 kg patient, everything else ready to sign. */
async function ivReady(doseMg: number, baseline = { systolic: 124, diastolic: 78 }) {
  const c = await clinicWithPatient();
  await signedEligible(c.store, c.patientId);
  await signedConsents(c.store, c.patientId, 'in-office-iv');
  const { lot } = await lotOf(c.store);
  const { dose } = await startDose(c.store, { ...ivDose(c.patientId), doseMg }, NOW);
  await updateDose(
    c.store,
    dose.id,
    { weightKg: 70, weightMeasuredOn: '2026-11-20', lotId: lot.id },
    NOW,
  );
  await addVitals(c.store, dose.id, { at: at(-5), heartRate: 72, label: 'baseline', ...baseline });
  await updateDose(c.store, dose.id, { discharge }, NOW);
  return { ...c, dose, lot };
}

/** The planned dose over 40 minutes; only possible once the pre-dose findings are answered. */
async function infuse(c: Awaited<ReturnType<typeof ivReady>>) {
  const doseMg = (await c.store.get('dose', c.dose.id))!.doseMg;
  const times = { infusionStart: at(0), initialRateMgPerHour: doseMg * 1.5, infusionEnd: at(40) };
  return updateDose(c.store, c.dose.id, times, NOW);
}

const rules = async (c: Awaited<ReturnType<typeof ivReady>>) =>
  (await doseFindings(c.store, (await c.store.get('dose', c.dose.id))!, NOW)).map((f) => f.rule);

describe('an override is bound to the values it justified', () => {
  it('mg/kg: a reason for 1.1 mg/kg does not cover the dose edited to 350 mg', async () => {
    const c = await ivReady(77); // 1.1 mg/kg
    await overrideDoseFinding(
      c.store,
      c.dose.id,
      'mgkg.out-of-range',
      'Partial response at 1.0 mg/kg over three sessions',
      NOW,
    );
    await infuse(c);
    const given = (await c.store.get('dose', c.dose.id))!.overrides[0]!;
    expect(given.values).toMatchObject({ mgPerKg: 1.1, weightKg: 70 });

    await updateDose(c.store, c.dose.id, { doseMg: 350 }, NOW);
    await expect(signDose(c.store, c.dose.id, NOW)).rejects.toThrow(
      /5 mg\/kg is outside.*no reason recorded/,
    );
    expect((await inventoryView(c.store)).balances[c.lot.id]).toBe(1000);
  });

  it('mg/kg: a new weight voids the reason too', async () => {
    const c = await ivReady(77);
    await overrideDoseFinding(c.store, c.dose.id, 'mgkg.out-of-range', 'Partial response', NOW);
    await infuse(c);
    await updateDose(c.store, c.dose.id, { weightKg: 55, weightMeasuredOn: '2026-11-21' }, NOW);
    await expect(signDose(c.store, c.dose.id, NOW)).rejects.toThrow(/1.4 mg\/kg.*no reason/);
  });

  it('mg/kg: back to the justified value, the reason applies again', async () => {
    const c = await ivReady(77);
    await overrideDoseFinding(c.store, c.dose.id, 'mgkg.out-of-range', 'Partial response', NOW);
    await infuse(c);
    await updateDose(c.store, c.dose.id, { doseMg: 350 }, NOW);
    await updateDose(c.store, c.dose.id, { doseMg: 77 }, NOW);
    const { dose } = await signDose(c.store, c.dose.id, NOW);
    expect(dose.status).toBe('signed');
  });

  it('blood pressure: a reason for 152/94 does not cover a later baseline of 178/108', async () => {
    const c = await ivReady(35, { systolic: 152, diastolic: 94 });
    await overrideDoseFinding(
      c.store,
      c.dose.id,
      'bp.above-threshold',
      'Anxious on arrival; usual BP 130s',
      NOW,
    );
    await infuse(c);
    const given = (await c.store.get('dose', c.dose.id))!.overrides[0]!;
    expect(given.values).toMatchObject({ systolic: 152, diastolic: 94 });
    await addVitals(c.store, c.dose.id, {
      at: at(-1),
      systolic: 178,
      diastolic: 108,
      heartRate: 90,
      label: 'baseline',
    });
    expect(await rules(c)).toContain('bp.above-threshold');
    await expect(signDose(c.store, c.dose.id, NOW)).rejects.toThrow(
      /178\/108 is above 140\/90.*no reason recorded/,
    );
  });

  it('esketamine amount: a reason for a non-standard amount does not cover another one', async () => {
    // Finding 3 makes any amount other than 56 or 84 mg a hard stop, so no reason is ever
    // recorded for one: the override is refused outright.
    const c = await clinicWithPatient();
    await signedEligible(c.store, c.patientId);
    await signedConsents(c.store, c.patientId, 'esketamine');
    const { dose } = await startDose(
      c.store,
      { patientId: c.patientId, medication: 'esketamine-nasal', route: 'intranasal', doseMg: 56 },
      NOW,
    );
    await updateDose(c.store, dose.id, { doseMg: 60 }, NOW);
    await expect(
      overrideDoseFinding(c.store, dose.id, 'esketamine.dose', 'Clinic protocol trial', NOW),
    ).rejects.toThrow(/cannot be overridden.*56 mg or 84 mg/);
  });

  it('an old override without values (recorded before this rule) asks again', async () => {
    const c = await ivReady(77);
    await overrideDoseFinding(c.store, c.dose.id, 'mgkg.out-of-range', 'Partial response', NOW);
    await infuse(c);
    await c.store.update('dose', c.dose.id, () => ({
      overrides: [
        {
          rule: 'mgkg.out-of-range',
          reason: 'Partial response',
          by: c.session.user.id,
          at: at(-2),
        },
      ],
    }));
    await expect(signDose(c.store, c.dose.id, NOW)).rejects.toThrow(/1.1 mg\/kg.*no reason/);
  });

  it('a reason typed against values that changed meanwhile is refused, not attached to new ones', async () => {
    const c = await ivReady(77);
    await updateDose(c.store, c.dose.id, { doseMg: 350 }, NOW);
    await expect(
      overrideDoseFinding(c.store, c.dose.id, 'mgkg.out-of-range', 'Partial response', NOW, {
        mg: 77,
        weightKg: 70,
        mgPerKg: 1.1,
      }),
    ).rejects.toThrow(/changed since/);
  });
});
