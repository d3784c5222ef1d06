import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CalendarDate, PatientBody } from './index';

const first = (r: { success: boolean; error?: z.ZodError }) => r.error?.issues[0]?.message;

describe('validation messages in clinic words (issue 18 point 7)', () => {
  it('says 31 February is not a real date, not "Invalid ISO date"', () => {
    expect(first(CalendarDate.safeParse('2026-02-31'))).toBe(
      'Enter a real calendar date (this month has no such day, or the date is incomplete).',
    );
  });

  it('says how long a name may be, not "Too big: expected string to have <=80 characters"', () => {
    const long = PatientBody.shape.firstName.safeParse('A'.repeat(200));
    expect(first(long)).toMatch(/^Keep this to \d+ characters or fewer\.$/);
  });

  it('words the rest for people: required, numbers, options', () => {
    expect(first(z.string().safeParse(undefined))).toBe('This is required.');
    expect(first(z.number().safeParse('12'))).toBe('Enter a number, in digits.');
    expect(first(z.number().max(5).safeParse(9))).toBe('Enter 5 or less.');
    expect(first(z.number().gt(0).safeParse(0))).toBe('Enter more than 0.');
    expect(first(z.enum(['iv', 'im']).safeParse('oral'))).toBe(
      'Choose one of the options offered.',
    );
    expect(first(z.string().min(3).safeParse('ab'))).toBe('Write at least 3 characters.');
    expect(first(z.email().safeParse('nope'))).toBe(
      'Enter an email address, like name@clinic.org.',
    );
  });

  it('leaves a schema’s own message alone', () => {
    expect(first(z.string().min(3, 'Say why').safeParse(''))).toBe('Say why');
  });
});
