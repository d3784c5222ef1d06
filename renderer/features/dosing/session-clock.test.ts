import { describe, expect, it } from 'vitest';
import { dueShortWords, dueWords, elapsedWords, timeTicks } from './session-clock';

const at = (hhmmss: string) => new Date(`2026-11-21T${hhmmss}.000Z`);
const due = { dueAt: '2026-11-21T10:15:00.000Z' };

describe('the session clock in words', () => {
  it('says how long ago the dose started, in whole minutes', () => {
    const start = '2026-11-21T10:00:00.000Z';
    expect(elapsedWords(start, at('10:00:30'))).toBe('Started just now');
    expect(elapsedWords(start, at('10:01:00'))).toBe('Started 1 minute ago');
    expect(elapsedWords(start, at('10:12:59'))).toBe('Started 12 minutes ago');
    expect(elapsedWords(start, at('11:05:00'))).toBe('Started 1 hour 5 minutes ago');
    expect(elapsedWords(start, at('12:00:00'))).toBe('Started 2 hours ago');
  });

  it('says when a start recorded ahead of the clock will be', () => {
    expect(elapsedWords('2026-11-21T10:00:00.000Z', at('09:57:00'))).toMatch(
      /^Starts at \d\d:\d\d$/,
    );
  });

  it('counts down to the due minute, rounding the wait up', () => {
    expect(dueWords(due, at('10:00:00'))).toBe('Due in 15 minutes');
    expect(dueWords(due, at('10:11:01'))).toBe('Due in 4 minutes');
    expect(dueWords(due, at('10:14:01'))).toBe('Due in 1 minute');
    expect(dueShortWords(due, at('10:11:01'))).toBe('due in 4 min');
  });

  it('is due for the minute of the reading, then overdue by whole minutes', () => {
    expect(dueWords(due, at('10:15:00'))).toBe('Due now');
    expect(dueWords(due, at('10:15:59'))).toBe('Due now');
    expect(dueWords(due, at('10:16:00'))).toBe('Overdue by 1 minute');
    expect(dueWords(due, at('10:18:30'))).toBe('Overdue by 3 minutes');
    expect(dueWords(due, at('11:20:00'))).toBe('Overdue by 1 hour 5 minutes');
    expect(dueShortWords(due, at('10:15:30'))).toBe('due now');
    expect(dueShortWords(due, at('10:18:30'))).toBe('overdue 3 min');
  });
});

describe('clock-time ticks for the session chart', () => {
  const ms = (hhmm: string) => Date.parse(`2026-11-21T${hhmm}:00.000Z`);
  const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

  it('marks whole steps between the first and the last reading', () => {
    // a 40-minute infusion with readings from 09:52 to 10:47: every 10 minutes
    expect(timeTicks(ms('09:52'), ms('10:47')).map(hhmm)).toEqual([
      '10:00',
      '10:10',
      '10:20',
      '10:30',
      '10:40',
    ]);
    // two hours of esketamine observation: every 30 minutes
    expect(timeTicks(ms('09:50'), ms('12:05')).map(hhmm)).toEqual([
      '10:00',
      '10:30',
      '11:00',
      '11:30',
      '12:00',
    ]);
    // readings a few minutes apart: every minute or two, never more than eight ticks
    expect(timeTicks(ms('10:00'), ms('10:06')).map(hhmm)).toHaveLength(7);
    expect(timeTicks(ms('10:00'), ms('10:09')).length).toBeLessThanOrEqual(8);
  });

  it('has one tick for a single moment', () => {
    expect(timeTicks(ms('10:00'), ms('10:00'))).toEqual([ms('10:00')]);
  });
});
