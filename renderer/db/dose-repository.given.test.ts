/**
 * mg/kg is judged on what goes in, and the log deducts exactly what the signed record says was
 * given (issue 15, finding 2): 50 mg planned for 70 kg (0.71 mg/kg) run at 300 mg/h for 40 min
 * is 200 mg given, 2.86 mg/kg.
 */
import { describe, expect, it } from 'vitest';
import {
  addBolus,
  doseFindings,
  overrideDoseFinding,
  signDose,
  updateDose,
} from './dose-repository';
import { NOW, at, DISCHARGE, preparedIvDose } from './dose-repository.fixtures';
import { inventoryView } from './inventory-repository';

const discharge = DISCHARGE;

const planned50mg = () => preparedIvDose({ doseMg: 50 });

const mgkgFinding = async (c: Awaited<ReturnType<typeof planned50mg>>, now: Date) => {
  const dose = (await c.store.get('dose', c.dose.id))!;
  return (await doseFindings(c.store, dose, NOW, now)).find((f) => f.rule === 'mgkg.out-of-range');
};

describe('checks on the real numbers', () => {
  it('50 mg planned, 300 mg/h for 40 min: judged as 200 mg (2.86 mg/kg), signed and logged as 200 mg', async () => {
    const c = await planned50mg();
    await updateDose(c.store, c.dose.id, { infusionStart: at(0), initialRateMgPerHour: 300 }, NOW);
    // Live while it runs: at 10 minutes 50 mg is in (0.71 mg/kg, within range) …
    expect(await mgkgFinding(c, new Date(at(10)))).toBeUndefined();
    // … at 30 minutes 150 mg (2.14 mg/kg): the finding is there before the infusion ends.
    expect((await mgkgFinding(c, new Date(at(30))))?.message).toMatch(
      /^2.14 mg\/kg \(150 mg given, 50 mg planned\) is outside/,
    );

    await updateDose(c.store, c.dose.id, { infusionEnd: at(40), discharge }, NOW);
    const ended = (await c.store.get('dose', c.dose.id))!;
    expect(ended.totalGivenMg).toBe(200);
    await expect(signDose(c.store, c.dose.id, new Date(at(95)))).rejects.toThrow(
      /2.86 mg\/kg \(200 mg given, 50 mg planned\).*no reason recorded/,
    );
    expect((await inventoryView(c.store)).balances[c.lot.id]).toBe(1000);

    await overrideDoseFinding(
      c.store,
      c.dose.id,
      'mgkg.out-of-range',
      'Pump programmed in mg/h by mistake; patient monitored, no adverse effect',
      new Date(at(95)),
    );
    const { dose, administration } = await signDose(c.store, c.dose.id, new Date(at(95)));
    expect(dose.totalGivenMg).toBe(200);
    expect(administration?.quantity).toBe(-200);
    expect((await inventoryView(c.store)).balances[c.lot.id]).toBe(800);
  });

  it('a bolus counts in mg/kg and in what the log deducts', async () => {
    const c = await planned50mg();
    await updateDose(
      c.store,
      c.dose.id,
      { infusionStart: at(0), initialRateMgPerHour: 75, infusionEnd: at(40), discharge },
      NOW,
    );
    await expect(addBolus(c.store, c.dose.id, { at: at(20), mg: 30, reason: '' })).rejects.toThrow(
      /Say why the bolus was given/,
    );
    const withBolus = await addBolus(c.store, c.dose.id, {
      at: at(20),
      mg: 20,
      reason: 'Minimal dissociation at 20 min per protocol',
    });
    expect(withBolus.totalGivenMg).toBe(70); // 75 mg/h × 40 min + 20 mg = 1.0 mg/kg
    const { administration } = await signDose(c.store, c.dose.id, new Date(at(95)));
    expect(administration?.quantity).toBe(-70);
  });

  it('an infusion without its end cannot be signed: the amount given is not known', async () => {
    const c = await planned50mg();
    await updateDose(
      c.store,
      c.dose.id,
      { infusionStart: at(0), initialRateMgPerHour: 75, discharge },
      NOW,
    );
    await expect(signDose(c.store, c.dose.id, new Date(at(95)))).rejects.toThrow(
      /Record when the infusion ended/,
    );
    expect((await inventoryView(c.store)).balances[c.lot.id]).toBe(1000);
  });

  it('a stored total that disagrees with the infusion is recomputed before signing', async () => {
    const c = await planned50mg();
    await updateDose(
      c.store,
      c.dose.id,
      { infusionStart: at(0), initialRateMgPerHour: 75, infusionEnd: at(40), discharge },
      NOW,
    );
    // As a field-by-field merge from another device could leave it.
    await c.store.update('dose', c.dose.id, () => ({ totalGivenMg: 10 }));
    const { dose, administration } = await signDose(c.store, c.dose.id, new Date(at(95)));
    expect(dose.totalGivenMg).toBe(50);
    expect(administration?.quantity).toBe(-50);
  });
});
