import { describe, expect, it } from 'vitest';
import { patientPrograms } from './programs';

const at = new Date('2026-11-20T12:00:00Z');
const visit = (program: string, start: string, cancelled = false) => ({
  program,
  start,
  cancelled,
});

describe('a patient’s programs', () => {
  it('are only those the patient was booked or signed for, the plan’s first', () => {
    expect(
      patientPrograms({
        planProgram: 'in-office-iv',
        appointments: [visit('telehealth', '2026-11-22T10:00:00Z')],
        consents: [{ program: 'esketamine' }],
        at,
      }),
    ).toEqual(['in-office-iv', 'telehealth', 'esketamine']);
  });

  it('without a plan, the next booked visit’s program comes before a past one’s', () => {
    expect(
      patientPrograms({
        appointments: [
          visit('in-office-iv', '2026-11-01T10:00:00Z'),
          visit('at-home', '2026-11-25T10:00:00Z'),
        ],
        consents: [],
        at,
      }),
    ).toEqual(['at-home', 'in-office-iv']);
  });

  it('leave out cancelled visits and consents marked in error; none at all is an empty list', () => {
    expect(
      patientPrograms({
        appointments: [visit('esketamine', '2026-11-25T10:00:00Z', true)],
        consents: [{ program: 'at-home', status: 'entered-in-error' }],
        at,
      }),
    ).toEqual([]);
  });
});
