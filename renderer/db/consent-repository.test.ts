import { afterEach, describe, expect, it } from 'vitest';
import { defaultConsentTemplates } from '../../shared/consent-defaults';
import type { ConsentTemplate } from '../../shared/model';

type SignerRole = ConsentTemplate['signers'][number];
import { addUser } from './auth';
import {
  ensureDefaultTemplates,
  patientConsentStatus,
  placeholderValues,
  reconsentList,
  revokeConsent,
  saveTemplateEdit,
  signConsentForms,
  templateVersions,
} from './consent-repository';
import type { KatDatabase } from './database';
import { RecordStore } from './record-store';
import { addMaya, freshClinic } from './test-support';
import { confirmStaff, signedForm, type Staff } from './consent-test-support';
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
  const jordan = await addUser(c.store, {
    displayName: 'Jordan Lee',
    username: 'jordan',
    roles: ['practice-manager'],
    passphrase: 'paper lanterns float',
  });
  const session = await signIn(c.db, 'jordan', 'paper lanterns float');
  const store = new RecordStore(c.db, session);
  const patient = await addMaya(c.store);
  const dana = await addUser(c.store, {
    displayName: 'Dana Reyes',
    username: 'dana',
    roles: ['therapist'],
    passphrase: 'quiet forest path',
  });
  const therapist = new RecordStore(c.db, await signIn(c.db, 'dana', 'quiet forest path'));
  staff = await confirmStaff(
    store,
    { id: jordan.id, passphrase: 'paper lanterns float' },
    { id: dana.id, passphrase: 'quiet forest path' },
  );
  return { store, therapist, patient };
}

let staff: Staff;
const sign = (template: ConsentTemplate, roles: readonly SignerRole[] = template.signers) =>
  signedForm(template, staff, SIGNED_AT, roles);

async function template(store: RecordStore, key: string) {
  return (await templateVersions(store, key))[0]!;
}

describe('consent repository', () => {
  it('seeds the shipped forms once, as shipped, when the clinic is created', async () => {
    const { store, therapist } = await managerClinic();
    expect(await ensureDefaultTemplates(therapist)).toBe(0); // therapists use forms, not edit them
    expect(await ensureDefaultTemplates(store)).toBe(0); // createClinic already stored them
    const all = await store.listKind('consent-template');
    expect(all).toHaveLength(8);
    // The transport agreement ships as version 2: version 1 had nowhere to write the escort.
    expect(all.map((t) => [t.templateKey, t.version]).filter(([, v]) => v !== 1)).toEqual([
      ['transport-escort-agreement', 2],
    ]);
  });

  it("gives a clinic's unedited transport agreement the escort fields as its next version", async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const shipped = (await templateVersions(c.store, 'transport-escort-agreement'))[0]!;
    // As a clinic set up before fields existed: version 1 without them, once unedited, once edited.
    await c.db.records.delete(shipped.id);
    const v1 = {
      ...defaultConsentTemplates().find((t) => t.templateKey === 'transport-escort-agreement')!,
      version: 1,
      fields: undefined,
    };
    v1.body = v1.body
      .split('\n\n')
      .filter((p) => !p.startsWith('[['))
      .join('\n\n');
    const old = await c.store.create('consent-template', v1);
    await ensureDefaultTemplates(c.store);
    const upgraded = await templateVersions(c.store, 'transport-escort-agreement');
    expect(upgraded.map((t) => t.version)).toEqual([2, 1]);
    expect(upgraded[0]!.fields!.map((f) => f.id)).toContain('escort-phone');
    expect(upgraded[1]!.id).toBe(old.id);

    await c.db.records.delete(upgraded[0]!.id);
    await saveTemplateEdit(c.store, old, { body: `${old.body}\n\nOur own sentence.` });
    await ensureDefaultTemplates(c.store);
    const kept = await templateVersions(c.store, 'transport-escort-agreement');
    expect(kept.map((t) => [t.version, t.fields?.length ?? 0])).toEqual([
      [2, 0],
      [1, 0],
    ]);
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

  it('a withdrawal is a new signed record: the form counts as withdrawn, the original stays', async () => {
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
    expect(status.find((s) => s.program === 'telehealth-integration')!.status).toBe('withdrawn');
    await expect(
      revokeConsent(store, {
        consent: telehealth,
        signatures: withdrawal.signatures,
        signedAt: '2026-03-05T11:00:00.000Z',
      }),
    ).rejects.toThrow('already withdrawn');
  });

  it('a new version that asks for re-consent lists the patients who signed an earlier one, until they sign it', async () => {
    const { store, patient } = await managerClinic();
    await ensureDefaultTemplates(store);
    const npp = await template(store, 'npp-acknowledgement');
    const values = placeholderValues(SETTINGS, patient);
    await signConsentForms(store, { patient, forms: [sign(npp)], values, signedAt: SIGNED_AT });
    const plain = await saveTemplateEdit(store, npp, { body: `${npp.body}\n\nA typo fixed.` });
    expect(await reconsentList(store, 'npp-acknowledgement')).toEqual([]);
    const v3 = await saveTemplateEdit(store, plain, {
      body: `${plain.body}\n\nWhat we share changed.`,
      reconsent: true,
    });
    expect(await reconsentList(store, 'npp-acknowledgement')).toEqual([
      { patientId: patient.id, name: 'Okafor, Maya' },
    ]);
    await signConsentForms(store, {
      patient,
      forms: [sign(v3)],
      values,
      signedAt: new Date().toISOString(),
    });
    expect(await reconsentList(store, 'npp-acknowledgement')).toEqual([]);
  });
});
