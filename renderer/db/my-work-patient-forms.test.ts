/**
 * My work today, issue 17: questionnaires patients answered in patient mode wait there for a
 * clinician's review, and my patients' consents expiring within 30 days are listed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addUser, signIn } from './auth';
import { placeholderValues, signConsentForms } from './consent-repository';
import { listPackets } from './consent-packets-repository';
import { confirmStaff, signedForm } from './consent-test-support';
import type { KatDatabase } from './database';
import { myWorkToday } from './my-work-repository';
import {
  reviewPatientMeasure,
  savePatientMeasure,
  startPatientMode,
  type PatientModeStorage,
} from './patient-mode-repository';
import { RecordStore } from './record-store';
import { addMaya, freshClinic } from './test-support';
import { requiredForProgram } from '../../shared/rules/consent-packets';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

const settings = { unsignedNoteAlertDays: 3 };
const DAY = 86_400_000;

function memoryStorage(): PatientModeStorage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
}

async function clinic() {
  const c = await freshClinic();
  opened.push(c.db);
  const patient = await addMaya(c.store);
  await addUser(c.store, {
    displayName: 'Jordan Lee',
    username: 'jordan',
    passphrase: 'paper lanterns float',
    roles: ['practice-manager'],
  });
  await addUser(c.store, {
    displayName: 'Dana Reyes',
    username: 'dana',
    passphrase: 'quiet forest path',
    roles: ['therapist'],
  });
  const manager = new RecordStore(c.db, await signIn(c.db, 'jordan', 'paper lanterns float'));
  const therapist = new RecordStore(c.db, await signIn(c.db, 'dana', 'quiet forest path'));
  return { ...c, patient, manager, therapist };
}

describe('my work today, patient forms', () => {
  it('lists a PHQ-9 the patient answered at the front desk for every clinician until one reviews it', async () => {
    const { patient, manager, therapist } = await clinic();
    const storage = memoryStorage();
    const state = await startPatientMode(manager, storage, {
      patientId: patient.id,
      tasks: [{ kind: 'measure', instrument: 'phq9' }],
    });
    const { measure } = await savePatientMeasure(
      manager,
      storage,
      state,
      'phq9',
      [0, 0, 0, 0, 0, 0, 0, 0, 1],
    );
    const work = await myWorkToday(therapist, settings);
    expect(work.toReview.map((m) => [m.id, m.patientId, m.instrument])).toEqual([
      [measure.id, patient.id, 'phq9'],
    ]);
    expect(work.toReview[0]!.alert).toMatch(/question 9/);
    // the practice manager who collected it does not read measures: nothing listed for them
    expect((await myWorkToday(manager, settings)).toReview).toEqual([]);
    await reviewPatientMeasure(therapist, measure.id);
    expect((await myWorkToday(therapist, settings)).toReview).toEqual([]);
  });

  it('lists my patient’s yearly form in its last 30 days, not before', async () => {
    const { patient, manager, therapist } = await clinic();
    const users = await manager.listKind('user');
    const jordan = users.find((u) => u.username === 'jordan')!;
    const dana = users.find((u) => u.username === 'dana')!;
    const staff = await confirmStaff(
      manager,
      { id: jordan.id, passphrase: 'paper lanterns float' },
      { id: dana.id, passphrase: 'quiet forest path' },
    );
    const templates = await manager.listKind('consent-template');
    const packets = await listPackets(manager);
    const packet = packets.find((p) =>
      requiredForProgram(packets, templates, p.program).some((t) => t.validity === '12-months'),
    )!;
    const yearly = requiredForProgram(packets, templates, packet.program).find(
      (t) => t.validity === '12-months',
    )!;
    const template = templates.find(
      (t) => t.templateKey === yearly.templateKey && t.version === yearly.version,
    )!;
    const now = new Date();
    const signedAt = new Date(now.getTime() - 350 * DAY).toISOString();
    await signConsentForms(manager, {
      patient,
      program: packet.program,
      forms: [signedForm(template, staff, signedAt)],
      values: placeholderValues(
        { clinicName: 'Harbor Ketamine Clinic', address: '1 Dock St', phone: '555-0100' },
        patient,
      ),
      signedAt,
    });
    // not my patient yet: nothing
    expect((await myWorkToday(therapist, settings, now)).expiring).toEqual([]);
    await therapist.create('appointment', {
      patientId: patient.id,
      clinicianId: dana.id,
      start: new Date(now.getTime() + 7 * DAY).toISOString(),
      durationMinutes: 60,
      visitKind: 'integration',
      cancelled: false,
    });
    const work = await myWorkToday(therapist, settings, now);
    expect(work.expiring).toHaveLength(1);
    expect(work.expiring[0]).toMatchObject({
      patientId: patient.id,
      templateKey: template.templateKey,
      title: template.title,
    });
    expect(work.expiring[0]!.programs).toContain(packet.name);
    expect(work.expiring[0]!.daysLeft).toBeGreaterThanOrEqual(13);
    expect(work.expiring[0]!.daysLeft).toBeLessThanOrEqual(16);
    // 20 days earlier it was not in its last 30 days yet
    const earlier = new Date(now.getTime() - 20 * DAY);
    expect((await myWorkToday(therapist, settings, earlier)).expiring).toEqual([]);
  });
});
