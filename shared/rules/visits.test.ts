import { describe, expect, it } from 'vitest';
import { isLateEntry, serviceEnd, serviceMinutes, sessionClock, settingForVisit } from './visits';

const TZ = 'America/Chicago';

describe('dates of service', () => {
  it('ends at its end, else start plus duration, else its start', () => {
    expect(serviceEnd({ start: '2026-11-20T15:00:00.000Z', end: '2026-11-20T17:00:00.000Z' })).toBe(
      '2026-11-20T17:00:00.000Z',
    );
    expect(serviceEnd({ start: '2026-11-20T15:00:00.000Z', durationMinutes: 90 })).toBe(
      '2026-11-20T16:30:00.000Z',
    );
    expect(serviceEnd({ start: '2026-11-20T15:00:00.000Z' })).toBe('2026-11-20T15:00:00.000Z');
    expect(
      serviceMinutes({ start: '2026-11-20T15:00:00.000Z', end: '2026-11-20T15:50:00.000Z' }),
    ).toBe(50);
    expect(serviceMinutes({ start: '2026-11-20T15:00:00.000Z' })).toBeUndefined();
  });

  it('is a late entry when written on a later day of the clinic’s calendar than the service', () => {
    const visit = { start: '2026-11-20T20:00:00.000Z', durationMinutes: 60 }; // 14:00–15:00 Chicago
    expect(isLateEntry(visit, '2026-11-21T03:30:00.000Z', TZ)).toBe(false); // 21:30 same evening
    expect(isLateEntry(visit, '2026-11-21T15:00:00.000Z', TZ)).toBe(true); // next morning
  });

  it('is not late when written before or during the visit (a note opened from the booking)', () => {
    const visit = { start: '2026-11-20T20:00:00.000Z', durationMinutes: 60 };
    expect(isLateEntry(visit, '2026-11-20T19:50:00.000Z', TZ)).toBe(false);
  });

  it('works for a visit stored before durations were recorded', () => {
    expect(isLateEntry({ start: '2026-11-20T20:00:00.000Z' }, '2026-11-23T15:00:00.000Z', TZ)).toBe(
      true,
    );
  });

  it('places at-home check-ins at home and everything else in the office by default', () => {
    expect(settingForVisit('at-home-check-in')).toBe('at-home');
    expect(settingForVisit('dosing')).toBe('in-office');
  });
});

describe('the session timer of a dosing note', () => {
  const now = new Date('2026-11-20T15:30:00.000Z');
  const noteCreatedAt = '2026-11-20T14:50:00.000Z';

  it('counts from the dose: its infusion start, else when it was given', () => {
    expect(
      sessionClock({
        doses: [{ infusionStart: '2026-11-20T15:02:00.000Z' }],
        visit: { start: '2026-11-20T14:45:00.000Z' },
        noteCreatedAt,
        now,
      }),
    ).toEqual({ since: '2026-11-20T15:02:00.000Z', from: 'dose' });
    expect(
      sessionClock({ doses: [{ administeredAt: '2026-11-20T15:10:00.000Z' }], noteCreatedAt, now })
        .since,
    ).toBe('2026-11-20T15:10:00.000Z');
  });

  it('before any dose, from the start of the visit once it began, else from the note', () => {
    expect(
      sessionClock({
        doses: [{}],
        visit: { start: '2026-11-20T14:45:00.000Z' },
        noteCreatedAt,
        now,
      }),
    ).toEqual({ since: '2026-11-20T14:45:00.000Z', from: 'visit' });
    expect(
      sessionClock({ doses: [], visit: { start: '2026-11-20T16:00:00.000Z' }, noteCreatedAt, now }),
    ).toEqual({ since: noteCreatedAt, from: 'note' });
  });
});
