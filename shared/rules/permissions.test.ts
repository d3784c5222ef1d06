import { describe, expect, it } from 'vitest';
import { assertCan, can } from './permissions';

describe('role permissions', () => {
  it.each([
    ['therapist', 'write', 'note', true],
    ['therapist', 'sign', 'note', true],
    ['therapist', 'write', 'dose', false],
    ['therapist', 'read', 'dose', true],
    ['prescriber', 'write', 'dose', true],
    ['prescriber', 'write', 'inventory-transaction', true],
    ['practice-manager', 'read', 'note', false],
    ['practice-manager', 'write', 'consent-template', true],
    ['therapist', 'write', 'consent-template', false],
    ['administrator', 'write', 'user', true],
    ['prescriber', 'write', 'user', false],
    ['administrator', 'write', 'dose', false],
    ['practice-manager', 'write', 'patient', true],
  ] as const)('%s may %s %s: %s', (role, action, kind, expected) => {
    expect(can([role], action, kind)).toBe(expected);
  });

  it('combines roles (a prescriber who is also an administrator)', () => {
    expect(can(['prescriber', 'administrator'], 'write', 'user')).toBe(true);
    expect(can(['prescriber', 'administrator'], 'write', 'dose')).toBe(true);
  });

  it('explains a refusal in plain words', () => {
    expect(() => assertCan(['therapist'], 'write', 'dose')).toThrow(
      'Your role (Therapist) does not allow recording or editing dose records.',
    );
  });
});
