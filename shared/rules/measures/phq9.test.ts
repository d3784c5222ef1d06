import { describe, expect, it } from 'vitest';
import { RuleError } from '../errors';
import { PHQ9, PHQ9_BANDS } from './phq9';
import { answersTotalling } from './test-answers';

/** Nine answers adding up to `total`, with item 9 ("better off dead") left at 0 unless given. */
const phq9 = (total: number, item9 = 0) => [...answersTotalling(total - item9, 8, 3), item9];

describe('PHQ-9 scoring', () => {
  it.each([
    [0, 'None–minimal'],
    [4, 'None–minimal'],
    [5, 'Mild'],
    [9, 'Mild'],
    [10, 'Moderate'],
    [14, 'Moderate'],
    [15, 'Moderately severe'],
    [19, 'Moderately severe'],
    [20, 'Severe'],
    [24, 'Severe'],
  ])('a total of %i is %s', (total, label) => {
    const result = PHQ9.score(phq9(total));
    expect(result.total).toBe(total);
    expect(result.band.label).toBe(label);
  });

  it('reaches 27, severe, when every answer is "Nearly every day"', () => {
    const result = PHQ9.score(Array(9).fill(3));
    expect(result.total).toBe(27);
    expect(result.band.key).toBe('severe');
  });

  it('sums the answers as given, whichever items carry them', () => {
    expect(PHQ9.score([0, 1, 2, 3, 0, 1, 2, 3, 0]).total).toBe(12);
  });

  it.each([1, 2, 3])('raises a persistent suicide-risk alert when item 9 is %i', (item9) => {
    const result = PHQ9.score(phq9(3, item9));
    expect(result.alerts).toHaveLength(1);
    expect(result.alerts[0]).toMatchObject({
      kind: 'suicide-risk',
      severity: 'critical',
      persistent: true,
    });
    expect(result.alerts[0]?.message).toContain(PHQ9.items[8]!.options[item9]!.label);
  });

  it('raises the item-9 alert even when the total is minimal', () => {
    const result = PHQ9.score([0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(result.band.key).toBe('minimal');
    expect(result.alerts.map((a) => a.code)).toEqual(['phq9.item9']);
  });

  it('raises no alert when item 9 is 0, even with a severe total', () => {
    expect(PHQ9.score(phq9(24)).alerts).toEqual([]);
  });

  it.each([8, 10, 0])('refuses %i answers, saying all nine questions need one', (count) => {
    expect(() => PHQ9.score(Array(count).fill(1))).toThrow(RuleError);
    expect(() => PHQ9.score(Array(count).fill(1))).toThrow(/9 questions.*Answer every question/);
  });

  it.each([4, -1, 1.5, Number.NaN])('refuses %s as an answer, naming the question', (bad) => {
    const answers = [0, 0, 0, 0, 0, 0, bad, 0, 0];
    expect(() => PHQ9.score(answers)).toThrow(/PHQ-9 question 7:.*"Nearly every day"/);
  });

  it('publishes the nine questions with the four frequency choices', () => {
    expect(PHQ9.items).toHaveLength(9);
    expect(PHQ9.items[8]?.text).toMatch(/better off dead or of hurting yourself/);
    expect(PHQ9.items[0]?.options.map((o) => o.label)).toEqual([
      'Not at all',
      'Several days',
      'More than half the days',
      'Nearly every day',
    ]);
    expect(PHQ9.instructions).toMatch(/last 2 weeks/);
  });

  it('exports bands that cover 0–27 without gaps for chart shading', () => {
    expect(PHQ9.scale).toMatchObject({ min: 0, max: 27 });
    expect(PHQ9_BANDS.map((b) => [b.min, b.max])).toEqual([
      [0, 4],
      [5, 9],
      [10, 14],
      [15, 19],
      [20, 27],
    ]);
  });
});
