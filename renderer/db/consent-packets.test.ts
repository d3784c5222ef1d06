import { afterEach, describe, expect, it } from 'vitest';
import { packetTemplates } from '../../shared/rules/consent-packets';
import type { ConsentTemplate } from '../../shared/model';
import { addUser, signIn } from './auth';
import {
  createPacket,
  ensureDefaultPackets,
  listPackets,
  packetVersions,
  programConsent,
  savePacketEdit,
} from './consent-packets-repository';
import {
  patientConsentStatus,
  placeholderValues,
  saveTemplateEdit,
  signConsentForms,
  templateVersions,
} from './consent-repository';
import type { KatDatabase } from './database';
import { RecordStore } from './record-store';
import { addMaya, freshClinic } from './test-support';
import { confirmStaff, signedForm, type Staff } from './consent-test-support';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

const SETTINGS = { clinicName: 'Harbor Ketamine Clinic', address: '1 Dock St', phone: '555-0100' };
const SIGNED_AT = '2026-03-01T15:00:00.000Z';

async function managerClinic() {
  const c = await freshClinic();
  opened.push(c.db);
  const jordan = await addUser(c.store, {
    displayName: 'Jordan Lee',
    username: 'jordan',
    roles: ['practice-manager', 'therapist'],
    passphrase: 'paper lanterns float',
  });
  const store = new RecordStore(c.db, await signIn(c.db, 'jordan', 'paper lanterns float'));
  const patient = await addMaya(c.store);
  const me = { id: jordan.id, passphrase: 'paper lanterns float' };
  staff = await confirmStaff(store, me, me);
  return { store, patient };
}
let staff: Staff;

const sign = (template: ConsentTemplate) => signedForm(template, staff, SIGNED_AT);

/**
 * The practice manager makes the recording consent required for in-office IV. Before packets
 * were records this was the template's "Required for programs" (saveTemplateEdit with
 * `programs`), and this test failed: the packet's defaults left the program "Missing".
 */
async function markRecordingRequired(store: RecordStore) {
  const iv = (await listPackets(store)).find((p) => p.program === 'in-office-iv')!;
  await savePacketEdit(store, iv, {
    forms: iv.forms.map((f) =>
      f.templateKey === 'recording-consent' ? { ...f, required: true } : f,
    ),
  });
}

async function signDefaults(
  store: RecordStore,
  patient: Awaited<ReturnType<typeof addMaya>>,
  program: string,
) {
  const packet = (await listPackets(store)).find((p) => p.program === program)!;
  const { required } = packetTemplates(packet, await store.listKind('consent-template'));
  return signConsentForms(store, {
    patient,
    program,
    values: placeholderValues(SETTINGS, patient),
    signedAt: SIGNED_AT,
    forms: required.map(sign),
  });
}
const AT = new Date('2026-03-02T00:00:00Z');

describe('packets and requirements come from one place', () => {
  it('a form made required for in-office IV is signed with the packet defaults, so the program is current', async () => {
    const { store, patient } = await managerClinic();
    await markRecordingRequired(store);
    const signed = await signDefaults(store, patient, 'in-office-iv');
    expect(signed.map((c) => c.templateKey)).toContain('recording-consent');
    const status = await patientConsentStatus(store, patient.id, AT);
    expect(status.find((s) => s.program === 'in-office-iv')!.status).toBe('current');
  });

  it('stores the shipped packets as version 1 when the clinic is created, requiring what the forms did', async () => {
    const { store } = await managerClinic();
    const stored = await store.listKind('consent-packet');
    expect(stored.map((p) => [p.program, p.version])).toEqual([
      ['in-office-iv', 1],
      ['esketamine', 1],
      ['at-home-troches', 1],
      ['telehealth-integration', 1],
    ]);
    const iv = stored.find((p) => p.program === 'in-office-iv')!;
    expect(iv.forms).toEqual([
      { templateKey: 'kat-informed-consent', required: true },
      { templateKey: 'transport-escort-agreement', required: true },
      { templateKey: 'npp-acknowledgement', required: true },
      { templateKey: 'financial-policy', required: true },
      { templateKey: 'recording-consent', required: false },
    ]);
    expect(await ensureDefaultPackets(store)).toBe(0);
  });

  it('a clinic from before packets keeps its requirements: derived from its forms, then stored unchanged', async () => {
    const { store, patient } = await managerClinic();
    // As an upgraded clinic: no packet records, and a form made required the old way.
    await store.db.records.where('kind').equals('consent-packet').delete();
    const recording = (await templateVersions(store, 'recording-consent'))[0]!;
    await saveTemplateEdit(store, recording, { programs: ['in-office-iv'] });
    const derived = (await listPackets(store)).find((p) => p.program === 'in-office-iv')!;
    expect(derived.version).toBeUndefined();
    expect(derived.forms.find((f) => f.templateKey === 'recording-consent')!.required).toBe(true);
    await signDefaults(store, patient, 'in-office-iv');
    const before = await patientConsentStatus(store, patient.id, AT);
    expect(await ensureDefaultPackets(store)).toBe(4);
    expect(await patientConsentStatus(store, patient.id, AT)).toEqual(before);
    expect(before.find((s) => s.program === 'in-office-iv')!.status).toBe('current');
  });

  it('an edit is a new version; an edit of an older version is refused', async () => {
    const { store } = await managerClinic();
    const v1 = (await listPackets(store)).find((p) => p.program === 'esketamine')!;
    const v2 = await savePacketEdit(store, v1, { name: 'Esketamine (Spravato)' });
    expect(v2.version).toBe(2);
    await expect(savePacketEdit(store, v1, { name: 'Something else' })).rejects.toThrow(
      /Version 2 of .* was saved after the version you edited/,
    );
    await expect(savePacketEdit(store, v2, { name: 'Esketamine (Spravato)' })).rejects.toThrow(
      'Nothing was changed',
    );
    expect((await packetVersions(store, 'esketamine')).map((p) => p.version)).toEqual([2, 1]);
  });

  it('a new packet is a new program the chart tracks; retiring it stops tracking it', async () => {
    const { store, patient } = await managerClinic();
    const created = await createPacket(store, {
      name: 'Esketamine maintenance',
      forms: [
        { templateKey: 'esketamine-rems-acknowledgement', required: true },
        { templateKey: 'recording-consent', required: false },
      ],
    });
    expect(created.program).toBe('esketamine-maintenance');
    const status = await patientConsentStatus(store, patient.id, AT);
    expect(status.map((s) => s.program)).toContain('esketamine-maintenance');
    await expect(
      createPacket(store, { name: 'esketamine maintenance', forms: created.forms }),
    ).rejects.toThrow('There is already a packet called "Esketamine maintenance"');
    await savePacketEdit(store, created, { retired: true });
    expect((await patientConsentStatus(store, patient.id, AT)).map((s) => s.program)).not.toContain(
      'esketamine-maintenance',
    );
    // A retired program is not configured: the dosing check fails closed for it.
    expect(
      (await programConsent(store, patient.id, 'esketamine-maintenance', AT)).unconfigured,
    ).toBe(true);
  });

  it('refuses a packet that requires nothing or lists a form the clinic does not have', async () => {
    const { store } = await managerClinic();
    const iv = (await listPackets(store)).find((p) => p.program === 'in-office-iv')!;
    await expect(
      savePacketEdit(store, iv, { forms: iv.forms.map((f) => ({ ...f, required: false })) }),
    ).rejects.toThrow('requires no form');
    await expect(
      savePacketEdit(store, iv, {
        forms: [...iv.forms, { templateKey: 'no-such-form', required: true }],
      }),
    ).rejects.toThrow('no-such-form');
  });

  it('only practice managers and administrators edit packets', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    await addUser(c.store, {
      displayName: 'Dana Reyes',
      username: 'dana',
      roles: ['therapist'],
      passphrase: 'quiet forest path',
    });
    const therapist = new RecordStore(c.db, await signIn(c.db, 'dana', 'quiet forest path'));
    const iv = (await listPackets(therapist)).find((p) => p.program === 'in-office-iv')!;
    await expect(savePacketEdit(therapist, iv, { name: 'Mine now' })).rejects.toThrow(
      /does not allow recording or editing consent packets/,
    );
  });
});
