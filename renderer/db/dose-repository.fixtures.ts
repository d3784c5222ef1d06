/** Shared set-up for the dose repository tests: a clinic, a patient, evaluation, consents, a lot. */
import { afterEach } from 'vitest';
import { defaultConsentTemplates } from '../../shared/consent-defaults';
import type { KatDatabase } from './database';
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

export async function signedEligible(store: RecordStore, patientId: string) {
  const draft = await startEligibility(store, patientId, new Date(at(-60 * 24)));
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

export async function signedConsents(store: RecordStore, patientId: string, program: string) {
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
          signedAt: at(-120),
          image: 'data:image/png;base64,AA',
        },
      ],
      signedAt: at(-120),
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
