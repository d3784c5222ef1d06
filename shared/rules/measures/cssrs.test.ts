import { describe, expect, it } from 'vitest';
import { CSSRS_SCREENER } from './cssrs';

const score = (answers: number[]) => CSSRS_SCREENER.score(answers);

describe('C-SSRS screener triage', () => {
  it('finds no risk when every answer is no, and raises no alert', () => {
    const result = score([0, 0, 0, 0, 0, 0]);
    expect(result.band.key).toBe('none');
    expect(result.total).toBeNull();
    expect(result.alerts).toEqual([]);
  });

  it.each([
    ['yes to 1 only', [1, 0, 0, 0, 0, 0], 'low'],
    ['yes to 1 and 2', [1, 1, 0, 0, 0, 0], 'low'],
    ['yes to 2 only', [0, 1, 0, 0, 0, 0], 'low'],
    ['yes to 3', [1, 1, 1, 0, 0, 0], 'moderate'],
    ['behaviour more than 3 months ago', [0, 0, 0, 0, 0, 1], 'moderate'],
    ['yes to 3 and behaviour long ago', [1, 1, 1, 0, 0, 1], 'moderate'],
    ['yes to 4', [1, 1, 0, 1, 0, 0], 'high'],
    ['yes to 5', [1, 1, 0, 0, 1, 0], 'high'],
    ['yes to 3, 4 and 5', [1, 1, 1, 1, 1, 0], 'high'],
    ['behaviour within 3 months, no ideation', [0, 0, 0, 0, 0, 2], 'high'],
    ['yes to 3 and behaviour within 3 months', [1, 1, 1, 0, 0, 2], 'high'],
  ])('%s → %s risk', (_, answers, risk) => {
    expect(score(answers).band.key).toBe(risk);
  });

  it('makes high risk a critical persistent alert naming safety precautions', () => {
    const [alert] = score([1, 1, 0, 1, 0, 0]).alerts;
    expect(alert).toMatchObject({ severity: 'critical', persistent: true, kind: 'suicide-risk' });
    expect(alert?.message).toMatch(/High risk.*safety precautions/i);
  });

  it.each([
    [[1, 0, 0, 0, 0, 0], /referral|follow-up/i],
    [[1, 1, 1, 0, 0, 0], /consultation.*consider patient safety precautions/i],
  ])('makes lower risk a persistent warning with the triage step', (answers, step) => {
    const [alert] = score(answers).alerts;
    expect(alert).toMatchObject({ severity: 'warning', persistent: true });
    expect(alert?.message).toMatch(step);
  });

  it('lists which answers set the risk level, most serious first', () => {
    expect(score([1, 1, 1, 0, 1, 0]).findings).toEqual([
      'Question 5 (plan and intent) — yes, past month.',
      'Question 3 (thinking about method) — yes, past month.',
      'Question 1 (wish to be dead) — yes, past month.',
      'Question 2 (thoughts of killing oneself) — yes, past month.',
    ]);
  });

  it.each([3, 4, 5])('refuses a yes to question %i when question 2 was no', (n) => {
    const answers = [1, 0, 0, 0, 0, 0];
    answers[n - 1] = 1;
    expect(() => score(answers)).toThrow(
      new RegExp(`question ${n} is asked only when question 2 is "Yes"`),
    );
  });

  it.each([
    [[0, 0, 0, 0, 0], /6 questions but 5 answers/],
    [[0, 0, 0, 0, 0, 0, 0], /6 questions but 7 answers/],
    [[2, 0, 0, 0, 0, 0], /question 1: 2 is not one of its answers/],
    [[0, 0, 0, 0, 0, 3], /question 6: 3 is not one of its answers/],
  ])('refuses malformed answers %j', (answers, message) => {
    expect(() => score(answers)).toThrow(message);
  });

  it('keeps the past-month and past-3-months framing and the skip logic on the form', () => {
    const items = CSSRS_SCREENER.items;
    expect(items.slice(0, 5).every((i) => /past month/.test(i.note ?? ''))).toBe(true);
    expect(items[5]?.note).toMatch(/within the past 3 months\?/);
    expect(items[5]?.options.map((o) => o.label)).toContain('Yes, within the past 3 months');
    expect(items.filter((i) => i.askedOnlyIf).map((i) => i.number)).toEqual([3, 4, 5]);
    expect(CSSRS_SCREENER.scale).toBeNull();
  });
});
