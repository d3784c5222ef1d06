import { describe, expect, it } from 'vitest';
import { GAD7, GAD7_BANDS } from './gad7';
import { answersTotalling } from './test-answers';

describe('GAD-7 scoring', () => {
  it.each([
    [0, 'Minimal'],
    [4, 'Minimal'],
    [5, 'Mild'],
    [9, 'Mild'],
    [10, 'Moderate'],
    [14, 'Moderate'],
    [15, 'Severe'],
    [21, 'Severe'],
  ])('a total of %i is %s', (total, label) => {
    const result = GAD7.score(answersTotalling(total, 7, 3));
    expect(result.total).toBe(total);
    expect(result.band.label).toBe(label);
    expect(result.alerts).toEqual([]);
  });

  it.each([6, 8, 9])('refuses %i answers', (count) => {
    expect(() => GAD7.score(Array(count).fill(0))).toThrow(/GAD-7 has 7 questions/);
  });

  it.each([4, -1, 2.5])('refuses %s as an answer', (bad) => {
    expect(() => GAD7.score([bad, 0, 0, 0, 0, 0, 0])).toThrow(/GAD-7 question 1:/);
  });

  it('publishes the seven questions and bands covering 0–21', () => {
    expect(GAD7.items.map((i) => i.text)).toContain('Not being able to stop or control worrying');
    expect(GAD7.items).toHaveLength(7);
    expect(GAD7_BANDS[0]).toMatchObject({ min: 0 });
    expect(GAD7_BANDS.at(-1)).toMatchObject({ max: 21 });
    GAD7_BANDS.slice(1).forEach((b, i) => expect(b.min).toBe(GAD7_BANDS[i]!.max + 1));
  });
});
