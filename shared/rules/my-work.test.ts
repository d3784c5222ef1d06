import { describe, expect, it } from 'vitest';
import { consentReminders, draftsToSign, measuresToReview, visitNeeds } from './my-work';

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

describe('questionnaires completed by patients, awaiting a clinician', () => {
  const now = new Date('2026-12-07T15:00:00Z');
  const m = (id: string, at: string, more: object = {}) => ({
    id,
    patientId: 'p1',
    instrument: 'phq9',
    administeredAt: at,
    status: 'draft' as const,
    completedBy: 'patient' as const,
    ...more,
  });
  it('lists only drafts the patient completed, oldest first, with their age', () => {
    expect(
      measuresToReview(
        [
          m('today', '2026-12-07T09:00:00Z'),
          m('reviewed', '2026-12-01T09:00:00Z', { status: 'signed' }),
          m('staff-draft', '2026-12-01T09:00:00Z', { completedBy: 'staff' }),
          m('unmarked', '2026-12-01T09:00:00Z', { completedBy: undefined }),
          m('older', '2026-12-04T09:00:00Z'),
        ],
        now,
      ).map((r) => [r.id, r.ageDays]),
    ).toEqual([
      ['older', 3],
      ['today', 0],
    ]);
  });
});

describe('consents expiring within 30 days', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  const form = (key: string, state: string, expiresAt?: string) => ({
    state,
    template: { templateKey: key, title: key.toUpperCase() },
    expiresAt,
  });
  const name = (p: string) => ({ iv: 'In-office IV ketamine', tele: 'Telehealth' })[p] ?? p;
  it('each expiring form once, with every program that needs it, soonest first', () => {
    const out = consentReminders(
      'p1',
      [
        {
          program: 'iv',
          forms: [
            form('informed', 'expiring', '2026-12-30T12:00:00Z'),
            form('privacy', 'expiring', '2026-12-10T12:00:00Z'),
            form('escort', 'current', '2027-06-01T12:00:00Z'),
          ],
        },
        { program: 'tele', forms: [form('privacy', 'expiring', '2026-12-10T12:00:00Z')] },
      ],
      name,
      now,
    );
    expect(out.map((r) => [r.templateKey, r.daysLeft, r.programs])).toEqual([
      ['privacy', 3, ['In-office IV ketamine', 'Telehealth']],
      ['informed', 23, ['In-office IV ketamine']],
    ]);
  });
  it('nothing for forms current, expired, missing or withdrawn', () => {
    expect(
      consentReminders(
        'p1',
        [
          {
            program: 'iv',
            forms: [
              form('a', 'current', '2027-06-01T12:00:00Z'),
              form('b', 'expired', '2026-12-01T12:00:00Z'),
              form('c', 'missing'),
              form('d', 'withdrawn'),
            ],
          },
        ],
        name,
        now,
      ),
    ).toEqual([]);
  });
});
