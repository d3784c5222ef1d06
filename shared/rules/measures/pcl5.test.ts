import { describe, expect, it } from 'vitest';
import { PCL5, PCL5_BANDS } from './pcl5';
import { answersTotalling } from './test-answers';

const clusterScores = (answers: number[]) =>
  Object.fromEntries(PCL5.score(answers).subscales.map((s) => [s.key, s.score]));

describe('PCL-5 scoring', () => {
  it.each([
    [0, 'below-threshold'],
    [32, 'below-threshold'],
    [33, 'probable-ptsd'],
    [80, 'probable-ptsd'],
  ])('a total of %i is %s', (total, key) => {
    const result = PCL5.score(answersTotalling(total, 20, 4));
    expect(result.total).toBe(total);
    expect(result.band.key).toBe(key);
  });

  it('scores the DSM-5 clusters B (1–5), C (6–7), D (8–14), E (15–20)', () => {
    const answers = [1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4];
    expect(clusterScores(answers)).toEqual({ B: 5, C: 4, D: 21, E: 24 });
    expect(PCL5.score(answers).total).toBe(54);
  });

  it('reports the provisional DSM-5 pattern: items at "Moderately" or more, 1 B, 1 C, 2 D, 2 E', () => {
    const meets = [2, 0, 0, 0, 0, 2, 0, 2, 2, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0];
    expect(PCL5.score(meets).findings[0]).toMatch(/^Meets the DSM-5/);
    // the same but only one D symptom
    const short = [...meets];
    short[8] = 1;
    expect(PCL5.score(short).findings[0]).toMatch(/^Does not meet.*D 1\/2/);
  });

  it('flags totals of 31 and 32 as just under the cut-point, not 30 or 33', () => {
    const note = (total: number) =>
      PCL5.score(answersTotalling(total, 20, 4)).findings.some((f) => /just under/.test(f));
    expect([30, 31, 32, 33].map(note)).toEqual([false, true, true, false]);
  });

  it.each([19, 21])('refuses %i answers', (count) => {
    expect(() => PCL5.score(Array(count).fill(0))).toThrow(/PCL-5 has 20 questions/);
  });

  it.each([5, -1])('refuses %i as an answer', (bad) => {
    const answers = Array(20).fill(0);
    answers[19] = bad;
    expect(() => PCL5.score(answers)).toThrow(/PCL-5 question 20:.*"Extremely"/);
  });

  it('exports a 0–80 scale with the threshold at 33 for chart shading', () => {
    expect(PCL5.scale).toMatchObject({ min: 0, max: 80 });
    expect(PCL5_BANDS.map((b) => [b.min, b.max])).toEqual([
      [0, 32],
      [33, 80],
    ]);
    expect(PCL5.items).toHaveLength(20);
  });
});
