import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTRAINDICATIONS } from '../../shared/rules/eligibility';
import { NOW, clinicWithPatient } from './dose-repository.fixtures';
import {
  clinicSettings,
  patientEligibility,
  saveEligibility,
  signEligibility,
  startEligibility,
} from './eligibility-repository';
import type { RecordStore } from './record-store';

const avm = { key: 'clinic-avm', label: 'Arteriovenous malformation' };
const noneOfTheDefaults = Object.fromEntries(DEFAULT_CONTRAINDICATIONS.map((c) => [c.key, false]));

async function addClinicItem(store: RecordStore) {
  const [stored] = await store.listKind('clinic-settings');
  if (stored)
    await store.update('clinic-settings', stored.id, () => ({ clinicContraindications: [avm] }));
  else
    await store.create('clinic-settings', {
      ...(await clinicSettings(store)),
      clinicContraindications: [avm],
    });
}

async function draftAnswered(store: RecordStore, patientId: string) {
  const draft = await startEligibility(store, patientId, NOW);
  await saveEligibility(store, draft.id, {
    psychiatricHistory: 'Major depression since 2015; two SSRIs without remission',
    medicalHistory: 'Headaches since childhood; MRI 2021 showed a small AVM, stable',
    contraindications: noneOfTheDefaults,
    decision: 'eligible',
  });
  return draft;
}

describe("eligibility with the clinic's own contraindications", () => {
  it('must be answered before signing, and ticked it is no plain "eligible"', async () => {
    const { store, patientId } = await clinicWithPatient();
    await addClinicItem(store);
    const draft = await draftAnswered(store, patientId);
    await expect(signEligibility(store, draft.id)).rejects.toThrow(
      /Answer yes or no for: Arteriovenous malformation/,
    );
    await saveEligibility(store, draft.id, {
      contraindications: { ...noneOfTheDefaults, [avm.key]: true },
    });
    await expect(signEligibility(store, draft.id)).rejects.toThrow(
      /Contraindication present \(Arteriovenous malformation\)/,
    );
    expect((await store.get('eligibility', draft.id))?.status).toBe('draft');
    expect((await patientEligibility(store, patientId, NOW)).state).toBe('none');

    await saveEligibility(store, draft.id, {
      decision: 'eligible-with-conditions',
      conditions: 'Neurology clearance on file; systolic ceiling 140 during sessions',
    });
    const signed = await signEligibility(store, draft.id);
    expect(signed.status).toBe('signed');
    expect(signed.contraindicationLabels).toEqual({ [avm.key]: avm.label });
    expect((await patientEligibility(store, patientId, NOW)).state).toBe(
      'eligible-with-conditions',
    );
  });
});
