import { describe, expect, it } from 'vitest';
import {
  PATIENT_IDLE_MINUTES,
  patientModeIdleMinutes,
  isSkipped,
  markTaskDone,
  patientQuestionnaire,
  planPatientTasks,
  taskProgress,
  unanswered,
  type PatientTask,
} from './patient-mode';

const PACKET: PatientTask = {
  kind: 'packet',
  program: 'in-office-iv',
  templateKeys: ['kat-informed-consent', 'transport-escort-agreement'],
};
const PHQ9: PatientTask = { kind: 'measure', instrument: 'phq9' };
const GAD7: PatientTask = { kind: 'measure', instrument: 'gad7' };

describe('patient mode tasks', () => {
  it('refuses an empty list and the same questionnaire twice', () => {
    expect(() => planPatientTasks([])).toThrow(/Choose a consent packet or at least one/);
    expect(() => planPatientTasks([PHQ9, PHQ9])).toThrow(/only once/);
    expect(planPatientTasks([PACKET, PHQ9])).toHaveLength(2);
  });

  it('shows one task at a time with its place in the list, and all done at the end', () => {
    let state = { tasks: [PACKET, PHQ9, GAD7], done: [] as string[] };
    expect(taskProgress(state)).toMatchObject({ current: PACKET, position: 1, total: 3 });
    state = markTaskDone(state, PACKET);
    expect(taskProgress(state)).toMatchObject({ current: PHQ9, position: 2, total: 3 });
    state = markTaskDone(markTaskDone(state, PHQ9), GAD7);
    expect(taskProgress(state)).toEqual({ position: 4, total: 3, allDone: true });
    // marking twice changes nothing; a task not on the list is refused
    expect(markTaskDone(state, GAD7).done).toHaveLength(3);
    expect(() => markTaskDone(state, { kind: 'measure', instrument: 'pcl5' })).toThrow(
      /not on this patient/,
    );
  });

  it('gives the C-SSRS in its self-report wording without the interviewer notes', () => {
    const q = patientQuestionnaire('cssrs-screener');
    expect(q.instructions).not.toMatch(/Ask the questions/);
    expect(q.instructions).toMatch(/past month/);
    expect(q.questions[0]!.text).toBe(
      'Have you wished you were dead or wished you could go to sleep and not wake up?',
    );
    expect(q.questions.some((x) => 'note' in x)).toBe(false);
    // questions 3–5 only after a Yes to question 2; a skipped one need not be answered
    expect(isSkipped(q.questions[2]!, [0, 0, null, null, null, null])).toBe(true);
    expect(unanswered(q, [0, 0, null, null, null, null])).toEqual([6]);
    expect(unanswered(q, [0, 1, null, null, null, 0])).toEqual([3, 4, 5]);
  });

  it('keeps the PHQ-9 stem the patient reads (a self-report instrument)', () => {
    const q = patientQuestionnaire('phq9');
    expect(q.instructions).toMatch(/^Over the last 2 weeks, how often have you been bothered/);
    expect(q.questions).toHaveLength(9);
  });
});

describe('auto-lock in patient mode', () => {
  const phq9: PatientTask = { kind: 'measure', instrument: 'phq9' };
  const gad7: PatientTask = { kind: 'measure', instrument: 'gad7' };
  it('gives a patient still answering at least half an hour without a touch, never less than the clinic', () => {
    const state = { tasks: [phq9, gad7], done: [] };
    expect(patientModeIdleMinutes(10, state)).toBe(PATIENT_IDLE_MINUTES);
    expect(patientModeIdleMinutes(1, { ...state, done: ['measure:phq9'] })).toBe(30);
    expect(patientModeIdleMinutes(45, state)).toBe(45);
  });
  it('keeps the clinic’s own time once the patient is finished (nothing left to lose)', () => {
    expect(patientModeIdleMinutes(10, { tasks: [phq9], done: ['measure:phq9'] })).toBe(10);
  });
});
