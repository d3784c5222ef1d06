/**
 * Gates before dosing goes on (issue 15, finding 4): a high baseline BP without a recorded reason,
 * and every other stop or needs-reason finding that exists before the start, refuse recording
 * the start of administration — not hours later at signing.
 */
import { describe, expect, it } from 'vitest';
import { pickDosingSettings } from '../../shared/rules/dosing';
import { saveDosingSettings } from './clinic-settings-repository';
import { addVitals, overrideDoseFinding, startDose, updateDose } from './dose-repository';
import {
  NOW,
  at,
  clinicWithPatient,
  ivDose,
  lotOf,
  preparedIvDose,
  signedConsents,
  signedEligible,
} from './dose-repository.fixtures';
import { clinicSettings } from './eligibility-repository';

const prepared = (baseline: { systolic: number; diastolic: number }, doseMg = 35) =>
  preparedIvDose({ doseMg, baseline: { ...baseline, heartRate: 80 } });

describe('nothing is given before the pre-dose findings are resolved', () => {
  it('165/100 against 140/90: the infusion start is refused until the reason is recorded', async () => {
    const c = await prepared({ systolic: 165, diastolic: 100 });
    await expect(
      updateDose(c.store, c.dose.id, { infusionStart: at(0), initialRateMgPerHour: 52.5 }, NOW),
    ).rejects.toThrow(/Dosing cannot start yet: Pre-dose blood pressure 165\/100 is above 140\/90/);
    const unchanged = (await c.store.get('dose', c.dose.id))!;
    expect(unchanged.infusionStart).toBeUndefined();

    await overrideDoseFinding(
      c.store,
      c.dose.id,
      'bp.above-threshold',
      'White-coat pattern; home readings 130s; PCP aware',
      NOW,
    );
    const started = await updateDose(
      c.store,
      c.dose.id,
      { infusionStart: at(0), initialRateMgPerHour: 52.5 },
      NOW,
    );
    expect(started.infusionStart).toBe(at(0));
  });

  it('the lot chosen in the same save as the start counts with its expiry (not "record the expiry")', async () => {
    const c = await clinicWithPatient();
    await signedEligible(c.store, c.patientId);
    await signedConsents(c.store, c.patientId, 'in-office-iv');
    const { lot } = await lotOf(c.store);
    const { dose } = await startDose(c.store, ivDose(c.patientId), NOW);
    await addVitals(c.store, dose.id, {
      at: at(-5),
      systolic: 124,
      diastolic: 78,
      heartRate: 70,
      label: 'baseline',
    });
    const started = await updateDose(
      c.store,
      dose.id,
      { weightKg: 70, weightMeasuredOn: '2026-11-20', lotId: lot.id, infusionStart: at(0) },
      NOW,
    );
    expect(started.infusionStart).toBe(at(0));
    expect(started.lotExpiry).toBe(lot.expiry);
  });

  it('a start typed to the minute counts the whole minute: consent signed 30 s into it is before dosing', async () => {
    const c = await clinicWithPatient();
    await signedEligible(c.store, c.patientId);
    const signedAt = new Date(NOW.getTime() + 30_000).toISOString();
    await signedConsents(c.store, c.patientId, 'in-office-iv', signedAt);
    const { lot } = await lotOf(c.store);
    const later = new Date(NOW.getTime() + 45_000);
    const { dose } = await startDose(c.store, ivDose(c.patientId), later);
    await addVitals(c.store, dose.id, {
      at: at(-5),
      systolic: 124,
      diastolic: 78,
      heartRate: 70,
      label: 'baseline',
    });
    const details = { weightKg: 70, weightMeasuredOn: '2026-11-20', lotId: lot.id };
    // 15:00, typed at 15:00:45 after the consent signed at 15:00:30
    const started = await updateDose(c.store, dose.id, { ...details, infusionStart: at(0) }, later);
    expect(started.infusionStart).toBe(at(0));
    // a start typed for the minute before the consent is still refused
    const { dose: other } = await startDose(c.store, ivDose(c.patientId), later);
    await expect(
      updateDose(c.store, other.id, { ...details, infusionStart: at(-1) }, later),
    ).rejects.toThrow(/No current consent/);
  });

  it('no baseline vitals: the start is refused', async () => {
    const c = await clinicWithPatient();
    await signedEligible(c.store, c.patientId);
    await signedConsents(c.store, c.patientId, 'in-office-iv');
    const { dose } = await startDose(c.store, ivDose(c.patientId), NOW);
    await expect(updateDose(c.store, dose.id, { infusionStart: at(0) }, NOW)).rejects.toThrow(
      /Dosing cannot start yet: .*baseline vitals/,
    );
  });

  it('an mg/kg outside the range needs its reason before the start too', async () => {
    const c = await prepared({ systolic: 124, diastolic: 78 }, 84); // 1.2 mg/kg
    await expect(updateDose(c.store, c.dose.id, { infusionStart: at(0) }, NOW)).rejects.toThrow(
      /Dosing cannot start yet: 1.2 mg\/kg is outside/,
    );
  });

  it('esketamine: the time given is refused for a dose other than 56 or 84 mg', async () => {
    const c = await clinicWithPatient();
    await signedEligible(c.store, c.patientId);
    await signedConsents(c.store, c.patientId, 'esketamine');
    const { dose } = await startDose(
      c.store,
      { patientId: c.patientId, medication: 'esketamine-nasal', route: 'intranasal', doseMg: 84 },
      NOW,
    );
    await addVitals(c.store, dose.id, {
      at: at(-5),
      systolic: 124,
      diastolic: 78,
      heartRate: 70,
      label: 'baseline',
    });
    await expect(
      updateDose(c.store, dose.id, { doseMg: 112, administeredAt: at(0) }, NOW),
    ).rejects.toThrow(/Dosing cannot start yet: Esketamine 112 mg is not a labeled dose/);
  });

  it('a start typed before the evaluation is refused with what is true, not "no evaluation"', async () => {
    const c = await clinicWithPatient();
    await saveDosingSettings(c.store, {
      ...pickDosingSettings(await clinicSettings(c.store)),
      timeZone: 'America/Chicago',
    });
    // Evaluated at 09:10 Chicago (15:10 UTC); the dose opened at 09:12, its start typed as 09:00.
    await signedEligible(c.store, c.patientId, at(10));
    await signedConsents(c.store, c.patientId, 'in-office-iv');
    const { lot } = await lotOf(c.store);
    const opened = new Date(at(12));
    const { dose } = await startDose(c.store, ivDose(c.patientId), opened);
    await updateDose(
      c.store,
      dose.id,
      { weightKg: 70, weightMeasuredOn: '2026-11-20', lotId: lot.id },
      opened,
    );
    await addVitals(c.store, dose.id, {
      at: at(-5),
      systolic: 124,
      diastolic: 78,
      heartRate: 72,
      label: 'baseline',
    });
    const start = { infusionStart: at(0), initialRateMgPerHour: 52.5 };
    const refusal = updateDose(c.store, dose.id, start, opened);
    await expect(refusal).rejects.toThrow(
      'Dosing cannot start yet: The eligibility evaluation is dated 09:10, after the start you ' +
        'recorded (09:00) — record the start at or after 09:10, or check the time you entered.',
    );
    // At the evaluation's time or after, the same start is accepted.
    const started = await updateDose(c.store, dose.id, { ...start, infusionStart: at(10) }, opened);
    expect(started.infusionStart).toBe(at(10));
  });
});
