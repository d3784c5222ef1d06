import { describe, expect, it } from 'vitest';
import {
  addDays,
  courseProgress,
  currentPlan,
  preparationGoals,
  progressLabel,
} from './treatment-plan';

const plan = {
  plannedDoses: 6,
  frequency: 'twice-a-week' as const,
  startsOn: '2026-12-01',
  integrationAfterEach: true,
  maintenanceIntervalWeeks: 4,
};
const dose = (day: string, status: 'signed' | 'draft' | 'entered-in-error' = 'signed') => ({
  status,
  infusionStart: `${day}T15:00:00.000Z`,
  createdAt: `${day}T14:00:00.000Z`,
});
const TZ = 'UTC';

describe('course progress', () => {
  it('counts signed doses from the first day of the course: two given, the third due 3 days after', () => {
    const p = courseProgress({
      plan,
      doses: [
        dose('2026-11-20'),
        dose('2026-12-01'),
        dose('2026-12-04'),
        dose('2026-12-05', 'draft'),
      ],
      today: '2026-12-05',
      timeZone: TZ,
    });
    expect(p).toMatchObject({ given: 2, planned: 6, phase: 'course', lastDoseOn: '2026-12-04' });
    expect(p.next).toEqual({
      what: 'dose',
      number: 3,
      due: '2026-12-07',
      state: 'upcoming',
      daysLate: 0,
    });
    expect(progressLabel(p)).toBe('Dose 2 of 6');
  });

  it('a dose entered in error does not count', () => {
    const p = courseProgress({
      plan,
      doses: [dose('2026-12-01'), dose('2026-12-04', 'entered-in-error')],
      today: '2026-12-04',
      timeZone: TZ,
    });
    expect(p.given).toBe(1);
    expect(p.next?.due).toBe('2026-12-04');
    expect(p.next?.state).toBe('due');
  });

  it('is overdue the day after the due date, with the days late', () => {
    const p = courseProgress({
      plan,
      doses: [dose('2026-12-01')],
      today: '2026-12-06',
      timeZone: TZ,
    });
    expect(p.next).toMatchObject({ due: '2026-12-04', state: 'overdue', daysLate: 2 });
  });

  it('the clinic day decides: a 19:30 dose in Chicago is that day, not the next UTC day', () => {
    const late = {
      status: 'signed' as const,
      infusionStart: '2026-12-02T01:30:00.000Z',
      createdAt: '2026-12-02T01:00:00.000Z',
    };
    const p = courseProgress({
      plan,
      doses: [late],
      today: '2026-12-03',
      timeZone: 'America/Chicago',
    });
    expect(p.lastDoseOn).toBe('2026-12-01');
    expect(p.next?.due).toBe('2026-12-04');
  });

  it('before the first dose nothing is computed as due', () => {
    const p = courseProgress({ plan, doses: [], today: '2026-12-09', timeZone: TZ });
    expect(p.phase).toBe('not-started');
    expect(p.next).toBeUndefined();
    expect(progressLabel(p)).toBe('No dose yet: 0 of 6');
  });

  it('after the last planned dose, maintenance is due the interval after the latest dose', () => {
    const six = ['01', '04', '08', '11', '15', '18'].map((d) => dose(`2026-12-${d}`));
    const p = courseProgress({ plan, doses: six, today: '2027-01-16', timeZone: TZ });
    expect(p).toMatchObject({
      phase: 'maintenance',
      given: 6,
      completedOn: '2026-12-18',
      maintenanceGiven: 0,
    });
    expect(p.next).toEqual({
      what: 'maintenance',
      due: '2027-01-15',
      state: 'overdue',
      daysLate: 1,
    });
    expect(progressLabel(p)).toBe('Course complete: 6 of 6');
    const after = courseProgress({
      plan,
      doses: [...six, dose('2027-01-15')],
      today: '2027-01-16',
      timeZone: TZ,
    });
    expect(after.maintenanceGiven).toBe(1);
    expect(after.next).toMatchObject({ due: '2027-02-12', state: 'upcoming' });
  });

  it('no maintenance interval: nothing due after the course', () => {
    const six = ['01', '04', '08', '11', '15', '18'].map((d) => dose(`2026-12-${d}`));
    const { maintenanceIntervalWeeks: _, ...noMaintenance } = plan;
    const p = courseProgress({
      plan: noMaintenance,
      doses: six,
      today: '2027-03-01',
      timeZone: TZ,
    });
    expect(p.next).toBeUndefined();
  });

  it('integration after each dose is pending until an integration visit on or after the last dose', () => {
    const doses = [dose('2026-12-01'), dose('2026-12-04')];
    const visit = (day: string, status: 'signed' | 'entered-in-error' = 'signed') => ({
      visitKind: 'integration',
      start: `${day}T16:00:00.000Z`,
      status,
    });
    const at = (visits: ReturnType<typeof visit>[], integrationAfterEach = true) =>
      courseProgress({
        plan: { ...plan, integrationAfterEach },
        doses,
        visits,
        today: '2026-12-05',
        timeZone: TZ,
      }).integrationPending;
    expect(at([visit('2026-12-02')])).toBe(true);
    expect(at([visit('2026-12-04', 'entered-in-error')])).toBe(true);
    expect(at([visit('2026-12-05')])).toBe(false);
    expect(at([], false)).toBe(false);
  });
});

describe('the plan in force', () => {
  const v = (
    id: string,
    writtenAt: string,
    status: 'signed' | 'draft' | 'entered-in-error',
    revises?: string,
  ) => ({
    id,
    writtenAt,
    status,
    ...(revises ? { revises } : {}),
  });
  it('a signed revision replaces the version it revises; the old one is kept', () => {
    const plans = [
      v('a', '2026-12-01T10:00:00Z', 'signed'),
      v('b', '2026-12-03T10:00:00Z', 'signed', 'a'),
    ];
    expect(currentPlan(plans)?.id).toBe('b');
  });
  it('a revision marked in error (or still a draft) gives the earlier version back its place', () => {
    expect(
      currentPlan([
        v('a', '2026-12-01T10:00:00Z', 'signed'),
        v('b', '2026-12-03T10:00:00Z', 'entered-in-error', 'a'),
      ])?.id,
    ).toBe('a');
    expect(
      currentPlan([
        v('a', '2026-12-01T10:00:00Z', 'signed'),
        v('b', '2026-12-03T10:00:00Z', 'draft', 'a'),
      ])?.id,
    ).toBe('a');
    expect(currentPlan([])).toBeUndefined();
  });
});

describe('goals from the preparation note', () => {
  const note = (id: string, createdAt: string, intentions: string, more: object = {}) => ({
    id,
    status: 'signed' as const,
    templateId: 'kap-preparation',
    sections: { intentions },
    createdAt,
    ...more,
  });
  it('takes the intentions of the newest preparation note that has some', () => {
    const found = preparationGoals(
      [
        note('old', '2026-11-01T10:00:00Z', 'Sleep through the night'),
        note('new', '2026-11-20T10:00:00Z', '  Be present with my children  '),
        note('empty', '2026-11-25T10:00:00Z', ' '),
        note('err', '2026-11-26T10:00:00Z', 'Wrong patient', { status: 'entered-in-error' }),
      ],
      new Set(),
    );
    expect(found).toEqual({
      noteId: 'new',
      text: 'Be present with my children',
      writtenAt: '2026-11-20T10:00:00Z',
    });
  });
  it('a clinic template counts when the note belongs to a preparation visit', () => {
    const clinic = note('c', '2026-11-20T10:00:00Z', 'Grieve', {
      templateId: 'x',
      encounterId: 'v1',
    });
    expect(preparationGoals([clinic], new Set())).toBeUndefined();
    expect(preparationGoals([clinic], new Set(['v1']))?.noteId).toBe('c');
  });
});

it('addDays crosses months and years', () => {
  expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
  expect(addDays('2027-02-27', 2)).toBe('2027-03-01');
});
