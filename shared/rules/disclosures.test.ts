import { describe, expect, it } from 'vitest';
import {
  DisclosureInput,
  type DisclosureLine,
  accountingOf,
  auditDetailWords,
  disclosureDetail,
  readDisclosure,
} from './disclosures';

const line = (over: Partial<DisclosureLine>): DisclosureLine => ({
  id: over.id ?? 'e1',
  at: over.at ?? '2026-12-01T10:00:00.000Z',
  what: 'Signed consent packet',
  by: 'Jordan',
  action: 'print',
  to: 'provider',
  name: 'Dr. Lee',
  purpose: 'treatment',
  note: '',
  ...over,
});

describe('disclosures (HIPAA 164.528)', () => {
  it('asks for a name when the copy leaves the clinic, and a reason for another purpose', () => {
    const noName = DisclosureInput.safeParse({ to: 'legal', name: ' ', purpose: 'law', note: '' });
    expect(noName.success).toBe(false);
    expect(noName.error?.issues[0]?.message).toBe(
      'Write the name of the person or organisation it goes to.',
    );
    const other = DisclosureInput.safeParse({
      to: 'other',
      name: 'Aunt',
      purpose: 'other',
      note: '',
    });
    expect(other.error?.issues[0]?.message).toBe('Say what it is for.');
    expect(
      DisclosureInput.safeParse({ to: 'patient', name: '', purpose: 'authorized', note: '' })
        .success,
    ).toBe(true);
  });

  it('keeps the answer in the audit detail and reads it back in words', () => {
    const detail = disclosureDetail('Signed consent packet (3 forms)', {
      to: 'legal',
      name: 'County Court, case 24-117',
      purpose: 'law',
      note: 'subpoena',
    });
    expect(readDisclosure(detail)).toMatchObject({
      to: 'legal',
      name: 'County Court, case 24-117',
    });
    expect(auditDetailWords(detail)).toBe(
      'Signed consent packet (3 forms), to County Court, case 24-117 (A court, attorney or law enforcement), for Required by law (subpoena, court order): subpoena',
    );
    expect(auditDetailWords('Patient handout')).toBe('Patient handout');
    expect(readDisclosure('disclosure/1 {not json')).toBeUndefined();
  });

  it('owes the accounting for disclosures other than treatment, payment, operations, the patient or an authorization', () => {
    const { owed, exempt } = accountingOf([
      line({ id: 'court', to: 'legal', name: 'Court', purpose: 'law', at: '2026-12-03T00:00:00Z' }),
      line({ id: 'ref', to: 'provider', purpose: 'treatment' }),
      line({ id: 'pt', to: 'patient', name: '', purpose: 'authorized' }),
      line({
        id: 'dea',
        to: 'agency',
        name: 'DEA',
        purpose: 'oversight',
        at: '2026-12-04T00:00:00Z',
      }),
      line({ id: 'desk', to: 'clinic', name: '', purpose: 'operations' }),
    ]);
    expect(owed.map((l) => l.id)).toEqual(['dea', 'court']);
    expect(exempt.map((l) => l.id)).toEqual(['ref', 'pt']);
  });
});
