/**
 * Patient mode (issue 17): this computer handed to one patient for a list of tasks. The state is
 * kept on this computer (localStorage, ids and instrument keys only, no names) so that a reload,
 * a lock or another staff member signing in finds the patient's screen again, never the chart.
 * Only a staff member's own passphrase ends it.
 *
 * Questionnaires the patient answers are stored at once as outcome measures marked
 * `completedBy: 'patient'`, drafts until a clinician reviews and signs them. They are synced
 * records like any measure, so every computer of the clinic computes the suicide-risk alert
 * (PHQ-9 item 9, C-SSRS) from their answers as soon as they arrive.
 */
import type { OutcomeMeasure } from '../../shared/model';
import { RuleError } from '../../shared/rules/errors';
import { MEASURES, type MeasureResult, scoreMeasure } from '../../shared/rules/measures';
import { assertCan, collectsQuestionnaires } from '../../shared/rules/permissions';
import {
  markTaskDone,
  type PatientModeState,
  PatientModeState as StateSchema,
  type PatientTask,
  planPatientTasks,
  taskKey,
} from '../../shared/rules/patient-mode';
import { verifyPassphrase } from './auth';
import { answersWithSkips } from './measures-repository';
import type { RecordStore } from './record-store';

export const PATIENT_MODE_KEY = 'kat:patient-mode';

export type PatientModeStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The patient mode under way on this computer, if any. */
export function readPatientMode(storage: PatientModeStorage): PatientModeState | undefined {
  const raw = storage.getItem(PATIENT_MODE_KEY);
  if (!raw) return undefined;
  try {
    return StateSchema.parse(JSON.parse(raw));
  } catch {
    // Unreadable: it was set, so still keep the chart away; a staff passphrase clears it.
    return undefined;
  }
}

/** True while something is stored under the key, readable or not (the shell's guard). */
export const patientModeSet = (storage: PatientModeStorage) => !!storage.getItem(PATIENT_MODE_KEY);

function save(storage: PatientModeStorage, state: PatientModeState) {
  storage.setItem(PATIENT_MODE_KEY, JSON.stringify(state));
}

/**
 * Staff hand the device over. Refused (nothing stored) when the role may not collect what the
 * list asks: packets are signed consents; questionnaires may be handed over by the front office
 * too (collecting is not reading: permissions.collectsQuestionnaires), and the answers land for a
 * clinician's review, unreadable to a practice manager (minimum necessary, 45 CFR 164.502(b)).
 */
export async function startPatientMode(
  store: RecordStore,
  storage: PatientModeStorage,
  input: { patientId: string; tasks: readonly PatientTask[] },
  now = new Date(),
): Promise<PatientModeState> {
  const tasks = planPatientTasks(input.tasks);
  if (tasks.some((t) => t.kind === 'measure') && !collectsQuestionnaires(store.roles))
    assertCan(store.roles, 'write', 'measure');
  if (tasks.some((t) => t.kind === 'packet')) assertCan(store.roles, 'sign', 'signed-consent');
  const patient = await store.get('patient', input.patientId);
  if (!patient) throw new RuleError('patient-mode.no-patient', 'That patient could not be found.');
  const state: PatientModeState = {
    patientId: patient.id,
    startedBy: store.session.user.id,
    startedAt: now.toISOString(),
    tasks,
    done: [],
  };
  await store.audit('patient-mode-started', {
    patientId: patient.id,
    detail: `Tasks: ${tasks.map(describeTask).join(', ')}`,
  });
  save(storage, state);
  return state;
}

const describeTask = (t: PatientTask) =>
  t.kind === 'packet' ? `consent packet (${t.program})` : MEASURES[t.instrument].shortName;

/** A task the patient finished (the packet's signatures are kept in its encrypted draft). */
export function completeTask(
  storage: PatientModeStorage,
  state: PatientModeState,
  task: PatientTask,
): PatientModeState {
  const next = markTaskDone(state, task);
  save(storage, next);
  return next;
}

/**
 * The patient's answers, stored at once (an alert must not wait for staff): a draft measure
 * marked as completed by the patient, which a clinician reviews and signs later.
 */
export async function savePatientMeasure(
  store: RecordStore,
  storage: PatientModeStorage,
  state: PatientModeState,
  instrument: OutcomeMeasure['instrument'],
  answers: readonly (number | null)[],
  now = new Date(),
): Promise<{ measure: OutcomeMeasure; result: MeasureResult; state: PatientModeState }> {
  const task = state.tasks.find((t) => taskKey(t) === `measure:${instrument}`);
  if (!task)
    throw new RuleError('patient-mode.not-a-task', 'That questionnaire is not on this list.');
  const given = answersWithSkips(instrument, answers) as number[];
  const result = scoreMeasure(instrument, given); // names an unanswered question
  const measure = await store.createPatientAnswers({
    patientId: state.patientId,
    instrument,
    administeredAt: now.toISOString(),
    answers: given,
    completedBy: 'patient',
  });
  return { measure, result, state: completeTask(storage, state, task) };
}

/**
 * Staff take the device back with their own user name and passphrase (any staff member with
 * a sign-in on this computer). A wrong pair is refused and patient mode stays.
 */
export async function endPatientMode(
  store: RecordStore,
  storage: PatientModeStorage,
  username: string,
  passphrase: string,
  /** Runs once the passphrase is right, just before patient mode ends (where staff go next). */
  beforeEnd?: (state: PatientModeState | undefined) => void,
): Promise<{ by: string; state?: PatientModeState }> {
  const ring = await store.db.keyring.where('username').equals(username.trim()).first();
  if (!ring || !(await verifyPassphrase(store.db, ring.userId, passphrase)))
    throw new RuleError(
      'patient-mode.wrong-passphrase',
      'That user name and passphrase do not match a staff member. Patient mode stays on.',
    );
  const state = readPatientMode(storage);
  await store.audit('patient-mode-ended', {
    patientId: state?.patientId,
    detail: `Ended by ${ring.username}`,
  });
  beforeEnd?.(state);
  storage.removeItem(PATIENT_MODE_KEY);
  return { by: ring.userId, state };
}

export const awaitsReview = (m: Pick<OutcomeMeasure, 'completedBy' | 'status'>) =>
  m.completedBy === 'patient' && m.status === 'draft';

/**
 * A clinician reviews a questionnaire the patient completed: it is signed in their name (the
 * caller has re-checked their passphrase). Only a patient-completed draft can be reviewed.
 */
export async function reviewPatientMeasure(store: RecordStore, measureId: string) {
  const measure = await store.get('measure', measureId);
  if (!measure || !awaitsReview(measure))
    throw new RuleError(
      'patient-mode.not-awaiting-review',
      'Only a questionnaire the patient completed and nobody has reviewed yet can be reviewed.',
    );
  return store.sign('measure', measureId);
}
