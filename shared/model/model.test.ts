import { describe, expect, it } from 'vitest';
import { AnyRecord, PatientBody, ageOn, patientDisplayName } from './index';
import { uuidv7 } from '../util/ids';
import { formatHlc } from '../sync/hlc';

const meta = () => ({
  id: uuidv7(),
  clinicId: uuidv7(),
  createdBy: uuidv7(),
  createdAt: '2026-11-21T10:00:00.000Z',
  updatedAt: formatHlc({ wallMs: 1_763_719_200_000, counter: 0, node: 'abc' }),
  status: 'draft' as const,
  schemaVersion: 1,
});

describe('patient schema', () => {
  it('accepts a complete patient and trims names', () => {
    const p = PatientBody.parse({
      firstName: ' Maya ',
      lastName: 'Okafor',
      dateOfBirth: '1987-04-12',
    });
    expect(p.firstName).toBe('Maya');
    expect(p.sexAtBirth).toBe('unknown');
  });

  it('says which field is wrong and why', () => {
    const r = PatientBody.safeParse({ firstName: '', lastName: 'X', dateOfBirth: '2999-01-01' });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toContain('firstName: First name is required');
    expect(messages).toContain('dateOfBirth: Date of birth cannot be in the future');
  });

  it('treats empty optional fields as absent, not as invalid', () => {
    const p = PatientBody.parse({
      firstName: 'A',
      lastName: 'B',
      dateOfBirth: '1990-01-01',
      email: '',
      phone: '',
    });
    expect(p.email).toBeUndefined();
  });

  it('computes age and a display name', () => {
    expect(ageOn('1990-11-22', new Date(2026, 10, 21))).toBe(35);
    expect(ageOn('1990-11-21', new Date(2026, 10, 21))).toBe(36);
    expect(patientDisplayName({ firstName: 'Robert', lastName: 'Lee', preferredName: 'Bob' })).toBe(
      'Lee, Robert (Bob)',
    );
  });
});

describe('AnyRecord', () => {
  it('dispatches on kind and rejects a record of an unknown kind', () => {
    const rec = AnyRecord.parse({
      kind: 'patient',
      ...meta(),
      firstName: 'A',
      lastName: 'B',
      dateOfBirth: '1990-01-01',
    });
    expect(rec.kind).toBe('patient');
    expect(AnyRecord.safeParse({ kind: 'spaceship', ...meta() }).success).toBe(false);
  });

  it('rejects a dose with an impossible vital sign', () => {
    const r = AnyRecord.safeParse({
      kind: 'dose',
      ...meta(),
      patientId: uuidv7(),
      encounterId: uuidv7(),
      medication: 'ketamine-hcl',
      route: 'iv-infusion',
      doseMg: 50,
      prescriberId: uuidv7(),
      administeredBy: uuidv7(),
      vitals: [{ at: '2026-11-21T10:00:00.000Z', systolic: 900, diastolic: 80, heartRate: 70 }],
    });
    expect(r.success).toBe(false);
  });
});
