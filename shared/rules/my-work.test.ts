import { describe, expect, it } from 'vitest';
import { draftsToSign, visitNeeds } from './my-work';

const me = 'me';
const base = { me, cancelled: false, notes: [], doses: [], measuresDue: [], signsDoses: false };

describe('what a visit today still needs', () => {
  it('a note to write, the measures due and a missing consent', () => {
    expect(
      visitNeeds({
        ...base,
        measuresDue: [{ instrument: 'phq9', shortName: 'PHQ-9' }],
        consent: { program: 'in-office-iv', state: 'missing' },
      }),
    ).toEqual([
      { need: 'note', state: 'to-write' },
      { need: 'measure', instrument: 'phq9', shortName: 'PHQ-9' },
      { need: 'consent', program: 'in-office-iv', state: 'missing' },
    ]);
  });

  it('my draft note to finish; nothing about the note once I signed one', () => {
    expect(visitNeeds({ ...base, notes: [{ id: 'n1', status: 'draft', createdBy: me }] })).toEqual([
      { need: 'note', state: 'draft', noteId: 'n1' },
    ]);
    expect(visitNeeds({ ...base, notes: [{ id: 'n1', status: 'signed', createdBy: me }] })).toEqual(
      [],
    );
  });

  it('a colleague’s note or one in error does not count as mine', () => {
    expect(
      visitNeeds({
        ...base,
        notes: [
          { id: 'n1', status: 'signed', createdBy: 'colleague' },
          { id: 'n2', status: 'entered-in-error', createdBy: me },
        ],
      }),
    ).toEqual([{ need: 'note', state: 'to-write' }]);
  });

  it('an expiring consent still allows the visit; a draft dose is asked of the prescriber only', () => {
    const doses = [{ id: 'd1', status: 'draft' as const, createdBy: me }];
    const signed = [{ id: 'n1', status: 'signed' as const, createdBy: me }];
    const consent = { program: 'in-office-iv', state: 'expiring' as const };
    expect(visitNeeds({ ...base, notes: signed, doses, consent })).toEqual([]);
    expect(visitNeeds({ ...base, notes: signed, doses, consent, signsDoses: true })).toEqual([
      { need: 'dose', doseId: 'd1' },
    ]);
  });

  it('a cancelled visit needs nothing', () => {
    expect(visitNeeds({ ...base, cancelled: true })).toEqual([]);
  });
});

describe('my drafts to sign', () => {
  const now = new Date('2026-11-20T12:00:00Z');
  const d = (id: string, createdAt: string, createdBy = me) => ({
    kind: 'note' as const,
    id,
    patientId: 'p',
    createdAt,
    createdBy,
    status: 'draft' as const,
  });

  it('lists every draft of mine, the one left an hour ago too, oldest first, overdue flagged', () => {
    const list = draftsToSign(
      [
        d('hour', '2026-11-20T11:00:00Z'),
        d('week', '2026-11-13T12:00:00Z'),
        d('theirs', '2026-11-01T12:00:00Z', 'colleague'),
      ],
      me,
      now,
      3,
    );
    expect(list.map((x) => [x.id, x.ageDays, x.overdue])).toEqual([
      ['week', 7, true],
      ['hour', 0, false],
    ]);
  });
});
