import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  infusionRateMgPerHour,
  mgPerKg,
  roundHalfAwayFromZero,
  totalGivenMg,
  volumeMl,
} from './mg-per-kg';

const day = '2026-11-21';
const opts = { onDay: day, weightMaxAgeDays: 30 };

describe('rounding half away from zero', () => {
  it('rounds ties away from zero on both sides', () => {
    expect(roundHalfAwayFromZero(0.125)).toBe(0.13);
    expect(roundHalfAwayFromZero(-0.125)).toBe(-0.13);
    expect(roundHalfAwayFromZero(0.124)).toBe(0.12);
  });

  it('is not fooled by binary noise at a tie', () => {
    // 1.005 * 100 is 100.49999… in binary; on paper it is a tie and rounds up.
    expect(roundHalfAwayFromZero(1.005)).toBe(1.01);
    expect(roundHalfAwayFromZero(2.675)).toBe(2.68);
  });

  it('never moves a value by more than half a unit in the last place', () => {
    fc.assert(
      fc.property(fc.double({ min: -1000, max: 1000, noNaN: true }), (x) => {
        expect(Math.abs(roundHalfAwayFromZero(x) - x)).toBeLessThanOrEqual(0.005 + 1e-9);
      }),
    );
  });
});

describe('mg/kg', () => {
  it('divides the dose by a current weight, to 2 decimals', () => {
    expect(mgPerKg({ doseMg: 35, weightKg: 70, weightMeasuredOn: '2026-11-20' }, opts)).toBe(0.5);
    expect(mgPerKg({ doseMg: 50, weightKg: 70, weightMeasuredOn: '2026-11-20' }, opts)).toBe(0.71);
    expect(mgPerKg({ doseMg: 61, weightKg: 81.2, weightMeasuredOn: day }, opts)).toBe(0.75);
  });

  it('accepts a weight exactly 30 days old and refuses one 31 days old', () => {
    expect(mgPerKg({ doseMg: 35, weightKg: 70, weightMeasuredOn: '2026-10-22' }, opts)).toBe(0.5);
    expect(() =>
      mgPerKg({ doseMg: 35, weightKg: 70, weightMeasuredOn: '2026-10-21' }, opts),
    ).toThrow('Weight is older than 30 days — re-weigh before calculating mg/kg');
  });

  it("uses the clinic's own limit", () => {
    const weight = { doseMg: 35, weightKg: 70, weightMeasuredOn: '2026-11-06' };
    expect(() => mgPerKg(weight, { onDay: day, weightMaxAgeDays: 14 })).toThrow(
      'Weight is older than 14 days',
    );
    expect(mgPerKg(weight, { onDay: day, weightMaxAgeDays: 15 })).toBe(0.5);
  });

  it('refuses a missing or future-dated weight, saying what to do', () => {
    expect(() => mgPerKg({ doseMg: 35 }, opts)).toThrow(/Record the weight in kg and the date/);
    expect(() =>
      mgPerKg({ doseMg: 35, weightKg: 70, weightMeasuredOn: '2026-11-22' }, opts),
    ).toThrow(/after the dose day.*check the date/);
  });
});

describe('volume and rate', () => {
  it('gives the volume to draw up', () => {
    expect(volumeMl(35, 50)).toBe(0.7);
    expect(volumeMl(100, 30)).toBe(3.33);
    expect(() => volumeMl(35, 0)).toThrow(/concentration in mg\/ml/);
  });

  it('gives the pump rate for a dose over minutes', () => {
    expect(infusionRateMgPerHour(50, 40)).toBe(75);
    expect(infusionRateMgPerHour(35, 40)).toBe(52.5);
    expect(() => infusionRateMgPerHour(35, 0)).toThrow(/how many minutes/);
  });
});

const at = (hhmm: string) => `2026-11-21T${hhmm}:00.000Z`;

describe('total given across rate changes', () => {
  it('adds each rate over the time it ran, pauses included', () => {
    const total = totalGivenMg({
      infusionStart: at('10:00'),
      initialRateMgPerHour: 60, // 20 min → 20 mg
      rateChanges: [
        { at: at('10:30'), mgPerHour: 0, reason: 'BP 168/98, paused' }, // 0 mg
        { at: at('10:20'), mgPerHour: 30, reason: 'nausea' }, // 10 min → 5 mg
        { at: at('10:35'), mgPerHour: 60, reason: 'BP settled' }, // 10 min → 10 mg
      ],
      infusionEnd: at('10:45'),
    });
    expect(total).toBe(35);
  });

  it('totals a running infusion up to now', () => {
    const running = {
      infusionStart: at('10:00'),
      initialRateMgPerHour: 52.5,
      rateChanges: [],
    };
    expect(totalGivenMg(running, new Date(at('10:20')))).toBe(17.5);
    expect(() => totalGivenMg(running)).toThrow(/when the infusion ended/);
  });

  it('refuses a rate change outside the infusion and an end before the start', () => {
    const base = { infusionStart: at('10:00'), initialRateMgPerHour: 60, infusionEnd: at('10:40') };
    expect(() =>
      totalGivenMg({ ...base, rateChanges: [{ at: at('09:50'), mgPerHour: 30, reason: 'x' }] }),
    ).toThrow(/outside the infusion/);
    expect(() => totalGivenMg({ ...base, infusionEnd: at('09:40'), rateChanges: [] })).toThrow(
      /ends before it starts/,
    );
    expect(() => totalGivenMg({ rateChanges: [] })).toThrow(/start time and starting rate/);
  });

  it('does not change when a "change" keeps the same rate (any split point)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 39 }),
        (rate, splitMin) => {
          const base = {
            infusionStart: at('10:00'),
            initialRateMgPerHour: rate,
            infusionEnd: at('10:40'),
          };
          const split = new Date(Date.parse(at('10:00')) + splitMin * 60_000).toISOString();
          const whole = totalGivenMg({ ...base, rateChanges: [] });
          const parts = totalGivenMg({
            ...base,
            rateChanges: [{ at: split, mgPerHour: rate, reason: 'rechecked' }],
          });
          expect(parts).toBe(whole);
          expect(whole).toBe(roundHalfAwayFromZero((rate * 40) / 60));
        },
      ),
    );
  });
});
