import { describe, expect, it } from 'vitest';
import { changeFromBaseline, courseOutcome } from './change';

const p = (day: number, total: number) => ({
  id: `m${day}`,
  at: `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`,
  total,
});

describe('change from baseline', () => {
  it('measures from the first score, whatever order the scores come in', () => {
    const points = [p(10, 9), p(1, 18), p(5, 12)];
    const c = changeFromBaseline('phq9', points, points[0]!)!;
    expect(c.baseline.total).toBe(18);
    expect(c.change).toBe(-9);
    expect(c.percent).toBe(-50);
  });

  it('calls a 50 % drop a response, and 49 % not (Rush 2006)', () => {
    expect(courseOutcome('phq9', [p(1, 18), p(8, 9)])!.response).toBe(true);
    expect(courseOutcome('phq9', [p(1, 18), p(8, 10)])!.response).toBe(false);
    expect(courseOutcome('gad7', [p(1, 15), p(8, 7)])!.response).toBe(true);
  });

  it('calls PHQ-9 and GAD-7 below 5 remission, 5 not', () => {
    expect(courseOutcome('phq9', [p(1, 20), p(8, 4)])).toMatchObject({
      response: true,
      remission: true,
    });
    expect(courseOutcome('phq9', [p(1, 20), p(8, 5)])!.remission).toBe(false);
    expect(courseOutcome('gad7', [p(1, 12), p(8, 4)])!.remission).toBe(true);
  });

  it('never calls the baseline itself a response; a baseline below 5 is already in remission range', () => {
    const c = courseOutcome('phq9', [p(1, 3)])!;
    expect(c.isBaseline).toBe(true);
    expect(c.response).toBe(false);
    expect(c.remission).toBe(true);
  });

  it('gives no percent from a baseline of 0 and no response', () => {
    const c = courseOutcome('gad7', [p(1, 0), p(3, 0)])!;
    expect(c.percent).toBeNull();
    expect(c.response).toBe(false);
  });

  it('has no response or remission for the PCL-5, but a 10-point drop is meaningful', () => {
    const c = courseOutcome('pcl5', [p(1, 50), p(9, 40)])!;
    expect(c).toMatchObject({ response: false, remission: false, meaningfulImprovement: true });
    expect(courseOutcome('pcl5', [p(1, 50), p(9, 41)])!.meaningfulImprovement).toBe(false);
  });

  it('has nothing to say without scores', () => {
    expect(courseOutcome('phq9', [])).toBeUndefined();
  });
});
