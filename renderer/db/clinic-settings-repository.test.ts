import { describe, expect, it } from 'vitest';
import { dosingDefaults } from '../../shared/rules/dosing';
import { listAuditEvents } from './audit-repository';
import { saveClinicDetails, saveDosingSettings } from './clinic-settings-repository';
import {
  addVitals,
  doseFindings,
  doseMoment,
  signDose,
  startDose,
  updateDose,
} from './dose-repository';
import {
  NOW,
  at,
  clinicWithPatient,
  ivDose,
  signedConsents,
  signedEligible,
  DISCHARGE,
  preparedIvDose,
} from './dose-repository.fixtures';
import { clinicSettings } from './eligibility-repository';
import { RecordStore } from './record-store';

const defaults = dosingDefaults();

describe('saving the clinic dosing rules', () => {
  it('an administrator saves them; the change is audited with the old and new value', async () => {
    const { store } = await clinicWithPatient();
    const { changes } = await saveDosingSettings(store, {
      ...defaults,
      vitalsIntervalMinutes: 10,
      inOfficeMaxSystolic: 150,
    });
    expect(changes).toEqual([
      'Vitals interval 15 → 10 minutes',
      'In-office systolic threshold 140 → 150 mmHg',
    ]);
    const saved = await clinicSettings(store);
    expect(saved.vitalsIntervalMinutes).toBe(10);
    expect(saved.inOfficeMaxSystolic).toBe(150);
    expect(saved.clinicName).toBe('Harbor Ketamine Clinic'); // the rest of the settings kept
    const events = await listAuditEvents(store, { action: 'update' });
    const event = events.find((e) => e.recordKind === 'clinic-settings');
    expect(event?.detail).toBe(
      'Dosing rules: Vitals interval 15 → 10 minutes; In-office systolic threshold 140 → 150 mmHg',
    );
    expect(event?.userName).toBe('Alex Admin');
  });

  it('saving unchanged values writes nothing and audits nothing', async () => {
    const { db, store } = await clinicWithPatient();
    const before = await db.audit.count();
    expect((await saveDosingSettings(store, defaults)).changes).toEqual([]);
    expect(await db.audit.count()).toBe(before);
  });

  it('a BP threshold of 400 is refused with the range, and changes nothing', async () => {
    const { store } = await clinicWithPatient();
    await expect(
      saveDosingSettings(store, {
        ...defaults,
        vitalsIntervalMinutes: 10,
        inOfficeMaxSystolic: 400,
      }),
    ).rejects.toThrow(
      'The in-office systolic threshold must be a whole number from 100 to 200 mmHg',
    );
    const kept = await clinicSettings(store);
    expect(kept.inOfficeMaxSystolic).toBe(140);
    expect(kept.vitalsIntervalMinutes).toBe(15);
  });

  it('anyone but an administrator is refused, and nothing changes', async () => {
    const { db, session, store } = await clinicWithPatient();
    const prescriber = new RecordStore(db, {
      ...session,
      user: { ...session.user, roles: ['prescriber'] },
    });
    await expect(
      saveDosingSettings(prescriber, { ...defaults, vitalsIntervalMinutes: 5 }),
    ).rejects.toThrow('Your role (Prescriber) does not allow recording or editing clinic settings');
    expect((await clinicSettings(store)).vitalsIntervalMinutes).toBe(15);
  });
});

describe('the Clinic tab', () => {
  it('saves its own fields and never puts back dosing rules its form loaded before they changed', async () => {
    const { store } = await clinicWithPatient();
    const loaded = await clinicSettings(store); // the Clinic tab's form, vitals every 15 min
    await saveDosingSettings(store, { ...defaults, vitalsIntervalMinutes: 10 });
    await saveClinicDetails(store, { ...loaded, clinicName: 'Lakeside Ketamine & Wellness' });
    const now = await clinicSettings(store);
    expect(now.clinicName).toBe('Lakeside Ketamine & Wellness');
    expect(now.vitalsIntervalMinutes).toBe(10);
  });
});

describe('a signed dose keeps the thresholds it was signed under', () => {
  async function signedDoseAt(bp: { systolic: number; diastolic: number }) {
    const c = await preparedIvDose({ baseline: bp });
    const { dose } = c;
    await updateDose(
      c.store,
      dose.id,
      { infusionStart: at(0), initialRateMgPerHour: 52.5, infusionEnd: at(40) },
      NOW,
    );
    await updateDose(c.store, dose.id, { discharge: DISCHARGE });
    const signed = (await signDose(c.store, dose.id, new Date(at(100)))).dose;
    return { ...c, signed };
  }

  it('a BP within 140/90 at signing raises no finding after the clinic lowers it to 130/80', async () => {
    const { store, signed } = await signedDoseAt({ systolic: 136, diastolic: 86 });
    expect(signed.appliedSettings).toMatchObject({
      inOfficeMaxSystolic: 140,
      inOfficeMaxDiastolic: 90,
      vitalsIntervalMinutes: 15,
      ivMinMgPerKg: 0.5,
      ivMaxMgPerKg: 1,
    });
    await saveDosingSettings(store, {
      ...defaults,
      inOfficeMaxSystolic: 130,
      inOfficeMaxDiastolic: 80,
      ivMinMgPerKg: 0.6,
    });
    const reread = (await store.get('dose', signed.id))!;
    const later = new Date(at(60 * 24));
    const findings = await doseFindings(store, reread, doseMoment(reread, later), later);
    expect(findings.map((f) => f.rule)).toEqual([]);
    expect(reread.appliedSettings?.inOfficeMaxSystolic).toBe(140);
  });

  it('a draft is judged by the thresholds as they stand now', async () => {
    const c = await clinicWithPatient();
    await signedEligible(c.store, c.patientId);
    await signedConsents(c.store, c.patientId, 'in-office-iv');
    const { dose } = await startDose(c.store, ivDose(c.patientId), NOW);
    await addVitals(c.store, dose.id, {
      at: at(-5),
      systolic: 136,
      diastolic: 86,
      heartRate: 72,
      label: 'baseline',
    });
    const rules = async () =>
      (await doseFindings(c.store, (await c.store.get('dose', dose.id))!, NOW)).map((f) => f.rule);
    expect(await rules()).not.toContain('bp.above-threshold');
    await saveDosingSettings(c.store, { ...defaults, inOfficeMaxSystolic: 130 });
    expect(await rules()).toContain('bp.above-threshold');
  });
});
