/**
 * Patient mode: the clinic's computer or tablet handed to one patient for one list of tasks (a
 * consent packet to sign, questionnaires to answer). What the list holds, what counts as done,
 * and each questionnaire in the wording the patient reads (self-report, no clinician notes).
 */
import { z } from 'zod';
import { Instant, RecordId } from '../model/common';
import { Instrument } from '../model/measure';
import { RuleError } from './errors';
import { MEASURES } from './measures/registry';
import type { MeasureItem } from './measures/types';

export const PatientTask = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('packet'),
    program: z.string().min(1),
    /** The forms chosen (required ones and any optional ones staff ticked), in packet order. */
    templateKeys: z.array(z.string().min(1)).min(1),
  }),
  z.object({ kind: z.literal('measure'), instrument: Instrument }),
]);
export type PatientTask = z.infer<typeof PatientTask>;

/** Kept on this computer while patient mode lasts (across reload and lock). */
export const PatientModeState = z.object({
  patientId: RecordId,
  /** The staff member who handed the device over. */
  startedBy: RecordId,
  startedAt: Instant,
  tasks: z.array(PatientTask).min(1),
  /** Tasks finished, by taskKey. */
  done: z.array(z.string()).default([]),
});
export type PatientModeState = z.infer<typeof PatientModeState>;

export const taskKey = (t: PatientTask) =>
  t.kind === 'packet' ? `packet:${t.program}` : `measure:${t.instrument}`;

/** The list staff hand over: refused empty, or with the same questionnaire twice. */
export function planPatientTasks(tasks: readonly PatientTask[]): PatientTask[] {
  if (tasks.length === 0)
    throw new RuleError(
      'patient-mode.no-tasks',
      'Choose a consent packet or at least one questionnaire for the patient before handing over.',
    );
  const keys = tasks.map(taskKey);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice)
    throw new RuleError('patient-mode.duplicate', 'Each task can be on the list only once.');
  return tasks.map((t) => PatientTask.parse(t));
}

export type TaskProgress = {
  /** The task on screen: the first one not done; undefined when all are. */
  current?: PatientTask;
  /** 1-based position of the current task ("2 of 3"); total+1 when all are done. */
  position: number;
  total: number;
  allDone: boolean;
};

export function taskProgress(state: Pick<PatientModeState, 'tasks' | 'done'>): TaskProgress {
  const index = state.tasks.findIndex((t) => !state.done.includes(taskKey(t)));
  const total = state.tasks.length;
  return index === -1
    ? { position: total + 1, total, allDone: true }
    : { current: state.tasks[index], position: index + 1, total, allDone: false };
}

export function markTaskDone<S extends Pick<PatientModeState, 'tasks' | 'done'>>(
  state: S,
  task: PatientTask,
): S {
  const key = taskKey(task);
  if (!state.tasks.some((t) => taskKey(t) === key))
    throw new RuleError('patient-mode.not-a-task', 'That is not on this patient’s list.');
  return state.done.includes(key) ? state : { ...state, done: [...state.done, key] };
}

export type PatientQuestion = Pick<MeasureItem, 'number' | 'text' | 'options' | 'askedOnlyIf'>;
export type PatientQuestionnaire = {
  instrument: Instrument;
  title: string;
  instructions: string;
  questions: PatientQuestion[];
};

/**
 * C-SSRS Screen Version, Self-Report (The Columbia Lighthouse Project): the same questions in the
 * patient's own reading, with the time frames said to the patient instead of the interviewer's
 * instructions ("Ask the questions in order …").
 */
const CSSRS_SELF_REPORT =
  'Please answer each question. Questions 1 to 5 are about the past month. If you answer No to ' +
  'question 2, go straight to question 6, which is about any time in your life.';

/**
 * A questionnaire as the patient reads it. PHQ-9, GAD-7 and PCL-5 are self-report instruments:
 * their printed stem and items are already the patient's wording (Kroenke 2001; Spitzer 2006;
 * Weathers 2013). Interviewer notes (examples, skip instructions) are left out.
 */
export function patientQuestionnaire(instrument: Instrument): PatientQuestionnaire {
  const def = MEASURES[instrument];
  return {
    instrument,
    title: def.name,
    instructions: instrument === 'cssrs-screener' ? CSSRS_SELF_REPORT : def.instructions,
    questions: def.items.map((item) => ({
      number: item.number,
      text: item.text,
      options: item.options,
      ...(item.askedOnlyIf ? { askedOnlyIf: item.askedOnlyIf } : {}),
    })),
  };
}

/** A question the patient is not asked (C-SSRS 3–5 after a No to question 2). */
export const isSkipped = (q: PatientQuestion, answers: readonly (number | null)[]) =>
  !!q.askedOnlyIf && answers[q.askedOnlyIf.item - 1] !== q.askedOnlyIf.value;

/** Questions still to answer, by number: the patient cannot finish with one left out. */
export function unanswered(
  questionnaire: PatientQuestionnaire,
  answers: readonly (number | null)[],
): number[] {
  return questionnaire.questions
    .filter((q, i) => !isSkipped(q, answers) && (answers[i] === null || answers[i] === undefined))
    .map((q) => q.number);
}

/**
 * Minutes without a touch before a patient still answering is locked out. Automatic logoff
 * (HIPAA 45 CFR 164.312(a)(2)(iii)) is there so an unattended computer does not stay open to
 * staff data; in patient mode the staff screens are not rendered at all and only a staff
 * passphrase leaves it, so locking at the clinic's usual few minutes would only throw a patient
 * who is reading a consent form slowly to the staff sign-in mid-form. Half an hour without any
 * touch means the device was left behind: it locks then (the typed answers are kept as
 * encrypted drafts and come back after a staff sign-in).
 */
export const PATIENT_IDLE_MINUTES = 30;

/** The idle lock in patient mode: longer while tasks are left, the clinic's own once finished. */
export function patientModeIdleMinutes(
  clinicMinutes: number,
  state: Pick<PatientModeState, 'tasks' | 'done'>,
): number {
  return taskProgress(state).allDone
    ? clinicMinutes
    : Math.max(clinicMinutes, PATIENT_IDLE_MINUTES);
}
