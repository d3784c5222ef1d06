import { afterEach, describe, expect, it } from 'vitest';
import { signaturePngDataUrl } from '../../shared/print/test-support';
import type { ConsentTemplate } from '../../shared/model';

type SignerRole = ConsentTemplate['signers'][number];
import { addUser } from './auth';
import {
  ensureDefaultTemplates,
  patientConsentStatus,
  placeholderValues,
  revokeConsent,
  saveTemplateEdit,
  signConsentForms,
  templateVersions,
} from './consent-repository';
import type { KatDatabase } from './database';
import { RecordStore } from './record-store';
import { addMaya, freshClinic } from './test-support';
import { signIn } from './auth';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

const SETTINGS = { clinicName: 'Harbor Ketamine Clinic', address: '1 Dock St', phone: '555-0100' };
const SIGNED_AT = '2026-03-01T15:00:00.000Z';

/** A clinic signed in as a practice manager (the role that keeps consents). */
async function managerClinic() {
  const c = await freshClinic();
  opened.push(c.db);
  await addUser(c.store, {
    displayName: 'Jordan Lee',
    username: 'jordan',
    roles: ['practice-manager'],
    passphrase: 'paper lanterns float',
  });
  const session = await signIn(c.db, 'jordan', 'paper lanterns float');
  const store = new RecordStore(c.db, session);
  const patient = await addMaya(c.store);
  await addUser(c.store, {
    displayName: 'Dana Reyes',
    username: 'dana',
    roles: ['therapist'],
    passphrase: 'quiet forest path',
  });
  const therapist = new RecordStore(c.db, await signIn(c.db, 'dana', 'quiet forest path'));
  return { store, therapist, patient };
}

const sign = (template: ConsentTemplate, roles: readonly SignerRole[] = template.signers) => ({
  template,
  signatures: roles.map((role, i) => ({
    role,
    name: role === 'patient' ? 'Maya Okafor' : `Staff ${i}`,
    signedAt: SIGNED_AT,
    image: signaturePngDataUrl(i + 1, 60, 20),
  })),
});

async function template(store: RecordStore, key: string) {
  return (await templateVersions(store, key))[0]!;
}

describe('consent repository', () => {
  it('seeds the shipped forms once, as version 1, when the clinic is created', async () => {
    const { store, therapist } = await managerClinic();
    expect(await ensureDefaultTemplates(therapist)).toBe(0); // therapists use forms, not edit them
    expect(await ensureDefaultTemplates(store)).toBe(0); // createClinic already stored them
    const all = await store.listKind('consent-template');
    expect(all).toHaveLength(8);
    expect(all.every((t) => t.version === 1)).toBe(true);
  });

  it('an edited template is a new version; the consent signed before keeps its text', async () => {
    const { store, patient } = await managerClinic();
    await ensureDefaultTemplates(store);
    const npp = await template(store, 'npp-acknowledgement');
    const [signed] = await signConsentForms(store, {
      patient,
      program: 'in-office-iv',
      forms: [sign(npp)],
      values: placeholderValues(SETTINGS, patient),
      signedAt: SIGNED_AT,
    });
    expect(signed!.renderedText).toContain('Harbor Ketamine Clinic');
    expect(signed!.status).toBe('signed');
    expect(signed!.deviceId).toBe(store.session.deviceId);

    const v2 = await saveTemplateEdit(store, npp, { body: `${npp.body}\n\nNew closing line.` });
    expect(v2.version).toBe(2);
    expect(await templateVersions(store, 'npp-acknowledgement')).toHaveLength(2);
    const again = await store.get('signed-consent', signed!.id);
    expect(again!.renderedText).toBe(signed!.renderedText);
    expect(again!.renderedText).not.toContain('New closing line.');
    expect(again!.templateVersion).toBe(1);

    // editing the old version again would fork history: refused
    await expect(saveTemplateEdit(store, npp, { title: 'Other title' })).rejects.toThrow(
      /Version 2 .* was saved after/,
    );
  });

  it('refuses a form without a required signature, and saves none of the packet', async () => {
    const { store, patient } = await managerClinic();
    await ensureDefaultTemplates(store);
    const npp = await template(store, 'npp-acknowledgement');
    const informed = await template(store, 'kat-informed-consent');
    await expect(
      signConsentForms(store, {
        patient,
        program: 'in-office-iv',
        forms: [sign(npp), sign(informed, ['patient', 'clinician'])],
        values: placeholderValues(SETTINGS, patient),
        signedAt: SIGNED_AT,
      }),
    ).rejects.toThrow(/still needs the witness signature/);
    expect(await store.listByPatient('signed-consent', patient.id)).toHaveLength(0);
  });

  it('refuses to sign a version that was replaced while the packet was open', async () => {
    const { store, patient } = await managerClinic();
    await ensureDefaultTemplates(store);
    const npp = await template(store, 'npp-acknowledgement');
    await saveTemplateEdit(store, npp, { title: 'Privacy notice (updated)' });
    await expect(
      signConsentForms(store, {
        patient,
        forms: [sign(npp)],
        values: placeholderValues(SETTINGS, patient),
        signedAt: SIGNED_AT,
      }),
    ).rejects.toThrow(/was edited \(now version 2\)/);
  });

  it('status turns current for a program once its whole packet is signed', async () => {
    const { store, patient } = await managerClinic();
    await ensureDefaultTemplates(store);
    const keys = ['telehealth-consent', 'npp-acknowledgement', 'financial-policy'];
    const at = new Date('2026-03-02T12:00:00Z');
    const before = await patientConsentStatus(store, patient.id, at);
    expect(before.find((s) => s.program === 'telehealth-integration')!.status).toBe('missing');
    await signConsentForms(store, {
      patient,
      program: 'telehealth-integration',
      forms: await Promise.all(keys.map(async (k) => sign(await template(store, k)))),
      values: placeholderValues(SETTINGS, patient),
      signedAt: SIGNED_AT,
    });
    const after = await patientConsentStatus(store, patient.id, at);
    expect(after.find((s) => s.program === 'telehealth-integration')!.status).toBe('current');
    // the same signatures do not cover the in-office informed consent
    expect(after.find((s) => s.program === 'in-office-iv')!.status).toBe('missing');
    // 12-month forms: inside the last 30 days they are "expiring", then "expired"
    const late = await patientConsentStatus(store, patient.id, new Date('2027-02-15T12:00:00Z'));
    expect(late.find((s) => s.program === 'telehealth-integration')!.status).toBe('expiring');
    const gone = await patientConsentStatus(store, patient.id, new Date('2027-03-02T12:00:00Z'));
    expect(gone.find((s) => s.program === 'telehealth-integration')!.status).toBe('expired');
  });

  it('does not let a therapist edit templates', async () => {
    const { store, therapist } = await managerClinic();
    await ensureDefaultTemplates(store);
    const npp = await template(store, 'npp-acknowledgement');
    await expect(saveTemplateEdit(therapist, npp, { title: 'Changed' })).rejects.toThrow();
    expect(await templateVersions(store, 'npp-acknowledgement')).toHaveLength(1);
  });

  it('a withdrawal is a new signed record: the form counts as missing, the original stays', async () => {
    const { store, patient } = await managerClinic();
    await ensureDefaultTemplates(store);
    const keys = ['telehealth-consent', 'npp-acknowledgement', 'financial-policy'];
    const signed = await signConsentForms(store, {
      patient,
      program: 'telehealth-integration',
      forms: await Promise.all(keys.map(async (k) => sign(await template(store, k)))),
      values: placeholderValues(SETTINGS, patient),
      signedAt: SIGNED_AT,
    });
    const telehealth = signed[0]!;
    const withdrawal = await revokeConsent(store, {
      consent: telehealth,
      signatures: sign(await template(store, 'telehealth-consent'), ['patient']).signatures,
      reason: 'Prefers in-person visits',
      signedAt: '2026-03-05T10:00:00.000Z',
    });
    expect(withdrawal.revokes).toBe(telehealth.id);
    expect(withdrawal.renderedText).toContain('Prefers in-person visits');
    expect((await store.get('signed-consent', telehealth.id))!.renderedText).toBe(
      telehealth.renderedText,
    );
    const status = await patientConsentStatus(store, patient.id, new Date('2026-03-06T00:00:00Z'));
    expect(status.find((s) => s.program === 'telehealth-integration')!.status).toBe('missing');
    await expect(
      revokeConsent(store, {
        consent: telehealth,
        signatures: withdrawal.signatures,
        signedAt: '2026-03-05T11:00:00.000Z',
      }),
    ).rejects.toThrow('already withdrawn');
  });
});
