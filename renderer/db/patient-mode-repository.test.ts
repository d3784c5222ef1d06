import { afterEach, describe, expect, it } from 'vitest';
import { chartAlerts } from '../../shared/rules/measures';
import { OutcomeMeasure } from '../../shared/model';
import { addUser } from './auth';
import type { KatDatabase } from './database';
import {
  endPatientMode,
  patientModeSet,
  readPatientMode,
  reviewPatientMeasure,
  savePatientMeasure,
  startPatientMode,
  type PatientModeStorage,
} from './patient-mode-repository';
import { RecordStore } from './record-store';
import { addMaya, freshClinic } from './test-support';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

function memoryStorage(): PatientModeStorage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
}

async function setup() {
  const c = await freshClinic();
  opened.push(c.db);
  const patient = await addMaya(c.store);
  return { ...c, patient, storage: memoryStorage() };
}

const PHQ9_ITEM9_ONE = [1, 1, 0, 0, 0, 0, 0, 0, 1];

describe('patient mode repository', () => {
  it('keeps patient mode on this computer until a staff passphrase ends it', async () => {
    const { store, patient, storage, passphrase } = await setup();
    await startPatientMode(store, storage, {
      patientId: patient.id,
      tasks: [{ kind: 'measure', instrument: 'phq9' }],
    });
    expect(readPatientMode(storage)?.patientId).toBe(patient.id);
    await expect(endPatientMode(store, storage, 'alex', 'not the passphrase')).rejects.toThrow(
      /do not match a staff member/,
    );
    await expect(endPatientMode(store, storage, 'nobody', passphrase)).rejects.toThrow(
      /do not match/,
    );
    expect(patientModeSet(storage)).toBe(true);
    await endPatientMode(store, storage, 'alex', passphrase);
    expect(patientModeSet(storage)).toBe(false);
    const actions = (await store.db.audit.toArray()).map((a) => a.action);
    expect(actions).toContain('patient-mode-started');
    expect(actions).toContain('patient-mode-ended');
  });

  it('a practice manager hands questionnaires over: the answers land for a clinician, unreadable to them, and the safety alert reaches them without the score', async () => {
    const { store, db, patient, storage } = await setup();
    const jordan = await addUser(store, {
      displayName: 'Jordan Lee',
      username: 'jordan',
      passphrase: 'front desk passphrase',
      roles: ['practice-manager'],
    });
    const manager = new RecordStore(db, { ...store.session, user: jordan });
    const state = await startPatientMode(manager, storage, {
      patientId: patient.id,
      tasks: [
        { kind: 'packet', program: 'in-office-iv', templateKeys: ['financial-policy'] },
        { kind: 'measure', instrument: 'phq9' },
      ],
    });
    const { measure } = await savePatientMeasure(manager, storage, state, 'phq9', PHQ9_ITEM9_ONE);
    // collected, not read: the measure itself stays closed to the front office
    await expect(manager.get('measure', measure.id)).rejects.toThrow(/does not allow viewing/);
    await expect(manager.listByPatient('measure', patient.id)).rejects.toThrow(/viewing/);
    expect((await manager.patientRecords(patient.id)).some((r) => r.kind === 'measure')).toBe(
      false,
    );
    // the safety alert, without instrument, answers or score
    const flags = await manager.safetyFlags(patient.id);
    expect(flags).toEqual([{ at: measure.administeredAt, severity: 'critical' }]);
    // the clinician reads and reviews it
    const seen = await store.get('measure', measure.id);
    expect(seen).toMatchObject({ completedBy: 'patient', status: 'draft', createdBy: jordan.id });
    expect((await reviewPatientMeasure(store, measure.id)).status).toBe('signed');
    // only answers completed by the patient: a measure of their own stays refused
    await expect(
      manager.createPatientAnswers({
        patientId: patient.id,
        instrument: 'gad7',
        administeredAt: new Date().toISOString(),
        answers: [0, 0, 0, 0, 0, 0, 0],
      }),
    ).rejects.toThrow(/completed by the patient/);
    await expect(
      manager.create('measure', {
        patientId: patient.id,
        instrument: 'gad7',
        administeredAt: new Date().toISOString(),
        answers: [0, 0, 0, 0, 0, 0, 0],
        completedBy: 'patient',
      }),
    ).rejects.toThrow(/recording or editing/);
  });

  it('refuses patient mode to a role that neither signs consents nor collects questionnaires', async () => {
    const { store, db, patient, storage } = await setup();
    const sam = await addUser(store, {
      displayName: 'Sam Admin',
      username: 'sam',
      passphrase: 'only administers things',
      roles: ['administrator'],
    });
    const admin = new RecordStore(db, { ...store.session, user: sam });
    await expect(
      startPatientMode(admin, storage, {
        patientId: patient.id,
        tasks: [{ kind: 'measure', instrument: 'phq9' }],
      }),
    ).rejects.toThrow(/Administrator/);
    expect(patientModeSet(storage)).toBe(false);
  });

  it('stores the PHQ-9 at once as completed by the patient, carrying what raises the alert elsewhere', async () => {
    const { store, patient, storage } = await setup();
    const state = await startPatientMode(store, storage, {
      patientId: patient.id,
      tasks: [{ kind: 'measure', instrument: 'phq9' }],
    });
    const { measure, result } = await savePatientMeasure(
      store,
      storage,
      state,
      'phq9',
      PHQ9_ITEM9_ONE,
    );
    expect(result.alerts.map((a) => a.code)).toEqual(['phq9.item9']);
    expect(readPatientMode(storage)?.done).toEqual(['measure:phq9']);
    // What another computer receives through sync: the record as stored, parsed by the schema
    // every computer uses; its answers alone raise the chart alert there.
    const row = await store.db.records.get(measure.id);
    expect(row?.status).toBe('draft');
    const synced = OutcomeMeasure.parse(await store.get('measure', measure.id));
    expect(synced.completedBy).toBe('patient');
    expect(chartAlerts([synced]).map((a) => a.code)).toEqual(['phq9.item9']);
  });

  it('refuses an unanswered question and a questionnaire not on the list', async () => {
    const { store, patient, storage } = await setup();
    const state = await startPatientMode(store, storage, {
      patientId: patient.id,
      tasks: [{ kind: 'measure', instrument: 'gad7' }],
    });
    await expect(
      savePatientMeasure(store, storage, state, 'gad7', [0, 0, null, 0, 0, 0, 0]),
    ).rejects.toThrow(/question 3/);
    await expect(savePatientMeasure(store, storage, state, 'phq9', PHQ9_ITEM9_ONE)).rejects.toThrow(
      /not on this list/,
    );
    expect(await store.listByPatient('measure', patient.id)).toEqual([]);
  });

  it('a clinician reviews a patient-completed measure once: it becomes signed in their name', async () => {
    const { store, patient, storage } = await setup();
    const state = await startPatientMode(store, storage, {
      patientId: patient.id,
      tasks: [{ kind: 'measure', instrument: 'cssrs-screener' }],
    });
    const { measure } = await savePatientMeasure(store, storage, state, 'cssrs-screener', [
      1,
      0,
      null,
      null,
      null,
      0,
    ]);
    const signed = await reviewPatientMeasure(store, measure.id);
    expect(signed.status).toBe('signed');
    expect(signed.completedBy).toBe('patient');
    expect(signed.signature?.byName).toBe('Alex Admin');
    await expect(reviewPatientMeasure(store, measure.id)).rejects.toThrow(/nobody has reviewed/);
  });
});
