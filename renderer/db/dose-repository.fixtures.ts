/** Shared set-up for the dose repository tests: a clinic, a patient, evaluation, consents, a lot. */
import { afterEach } from 'vitest';
import { defaultConsentTemplates } from '../../shared/consent-defaults';
import type { KatDatabase } from './database';
import { addVitals, startDose, updateDose } from './dose-repository';
import { saveEligibility, signEligibility, startEligibility } from './eligibility-repository';
import { receiveLot } from './inventory-repository';
import type { RecordStore } from './record-store';
import { addMaya, freshClinic } from './test-support';

const opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened.length = 0;
});

export const NOW = new Date('2026-11-21T15:00:00.000Z');
export const at = (min: number) => new Date(NOW.getTime() + min * 60_000).toISOString();

export async function clinicWithPatient() {
  const c = await freshClinic();
  opened.push(c.db);
  const patient = await addMaya(c.store);
  return { ...c, patientId: patient.id };
}

export async function signedEligible(
  store: RecordStore,
  patientId: string,
  evaluatedAt = at(-60 * 24),
) {
  const draft = await startEligibility(store, patientId, new Date(evaluatedAt));
  const contraindications = Object.fromEntries(
    [
      'pregnancy',
      'uncontrolled-hypertension',
      'psychosis-history',
      'active-substance-use-disorder',
      'hyperthyroidism',
      'prior-ketamine-misuse',
    ].map((k) => [k, false]),
  );
  await saveEligibility(store, draft.id, {
    psychiatricHistory: 'Major depression since 2015; two SSRIs and an SNRI without remission',
    medicalHistory: 'No significant history',
    contraindications,
    decision: 'eligible',
    currentMedications: [{ name: 'Xanax 0.5 mg' }],
  });
  return signEligibility(store, draft.id);
}

export async function signedConsents(
  store: RecordStore,
  patientId: string,
  program: string,
  signedAt = at(-120),
) {
  for (const t of defaultConsentTemplates().filter((x) => x.programs.includes(program))) {
    const template = await store.create('consent-template', t);
    await store.createSigned('signed-consent', {
      patientId,
      templateId: template.id,
      templateKey: t.templateKey,
      templateVersion: t.version,
      program, // per-program forms (the at-home agreement) count for their program only
      title: t.title,
      renderedText: t.body,
      signatures: [
        {
          role: 'patient',
          name: 'Maya Okafor',
          signedAt,
          image: 'data:image/png;base64,AA',
        },
      ],
      signedAt,
      deviceId: 'test',
      contentHash: 'sha256:test',
    });
  }
}

export async function lotOf(
  store: RecordStore,
  over: { expiry?: string; lotNumber?: string } = {},
) {
  return receiveLot(
    store,
    {
      medication: 'ketamine-hcl',
      productName: 'Ketamine HCl 50 mg/ml, 10 ml vial',
      lotNumber: over.lotNumber ?? 'KX2291',
      expiry: over.expiry ?? '2027-06-30',
      concentrationMgPerMl: 50,
      unit: 'mg',
      unitsPerContainer: 500,
    },
    {
      quantity: 1000,
      supplierName: 'Midwest Medical Supply',
      supplierAddress: '12 Depot Rd, Omaha NE',
      supplierDea: 'RM1234563',
      containers: 2,
      invoice: 'INV-881',
      occurredAt: at(-60 * 48),
    },
  );
}

export const ivDose = (patientId: string) => ({
  patientId,
  medication: 'ketamine-hcl' as const,
  route: 'iv-infusion' as const,
  doseMg: 35,
});

/** A complete discharge, 90 minutes after the start. */
export const DISCHARGE = {
  at: at(90),
  vitalsNearBaseline: true,
  sedationResolved: true,
  dissociationResolved: true,
  alertAndOriented: true,
  escortName: 'Daniel Okafor',
  noDrivingInstructionGiven: true,
};

/**
 * An IV dose ready to start: eligibility and consents signed, a lot in stock, weight and lot
 * recorded, a baseline reading 5 minutes before NOW (124/78 unless told).
 */
export async function preparedIvDose(
  over: {
    doseMg?: number;
    baseline?: { systolic: number; diastolic: number; heartRate?: number };
  } = {},
) {
  const c = await clinicWithPatient();
  await signedEligible(c.store, c.patientId);
  await signedConsents(c.store, c.patientId, 'in-office-iv');
  const { lot } = await lotOf(c.store);
  const { dose } = await startDose(
    c.store,
    { ...ivDose(c.patientId), doseMg: over.doseMg ?? 35 },
    NOW,
  );
  await updateDose(
    c.store,
    dose.id,
    { weightKg: 70, weightMeasuredOn: '2026-11-20', lotId: lot.id },
    NOW,
  );
  await addVitals(c.store, dose.id, {
    at: at(-5),
    systolic: 124,
    diastolic: 78,
    heartRate: 72,
    label: 'baseline',
    ...over.baseline,
  });
  return { ...c, dose, lot };
}
