import { describe, expect, it } from 'vitest';
import { emergencyUses, reviewFindingProblem, unreviewedCount } from './emergency-review';

const line = (over: Partial<Parameters<typeof emergencyUses>[0][number]>) => ({
  id: 'x',
  at: '2026-12-07T10:00:00.000Z',
  action: 'view',
  userId: 'jordan',
  userName: 'Jordan Lee',
  patientId: 'maya',
  patientName: 'Okafor, Maya',
  recordKind: '',
  recordId: '',
  detail: '',
  ...over,
});

describe('emergency uses from the audit log', () => {
  const grant = (id: string, at: string, minutes = 60) =>
    line({
      id,
      at,
      action: 'break-glass',
      detail: `Emergency access for ${minutes} minutes: Collapsed`,
    });
  const read = (at: string, recordId: string, over = {}) =>
    line({ at, recordKind: 'note', recordId, detail: 'Under emergency access', ...over });

  it('gives each read to the access it was made under, by the same person, in its hour', () => {
    const uses = emergencyUses([
      grant('g1', '2026-12-07T10:00:00.000Z'),
      grant('g2', '2026-12-07T12:00:00.000Z', 30),
      read('2026-12-07T10:05:00.000Z', 'n1'),
      read('2026-12-07T11:00:00.000Z', 'n2'), // the last minute of the first hour
      read('2026-12-07T11:30:00.000Z', 'n3'), // between the two: under neither
      read('2026-12-07T12:10:00.000Z', 'n4'),
      read('2026-12-07T12:20:00.000Z', 'n5', { userId: 'dana' }), // someone else
      read('2026-12-07T12:25:00.000Z', 'n6', { patientId: 'ada' }), // another patient
      line({ at: '2026-12-07T12:26:00.000Z', recordKind: 'note', recordId: 'n7' }), // not marked
    ]);
    expect(uses.map((u) => [u.id, u.reads.map((r) => r.recordId)])).toEqual([
      ['g2', ['n4']],
      ['g1', ['n1', 'n2']],
    ]);
    expect(uses[1]).toMatchObject({ reason: 'Collapsed', until: '2026-12-07T11:00:00.000Z' });
    expect(uses[0]!.until).toBe('2026-12-07T12:30:00.000Z');
  });

  it('keeps the first review of an access and counts the ones left', () => {
    const uses = emergencyUses([
      grant('g1', '2026-12-07T10:00:00.000Z'),
      grant('g2', '2026-12-07T12:00:00.000Z'),
      line({
        id: 'r2',
        at: '2026-12-07T15:00:00.000Z',
        action: 'emergency-reviewed',
        recordId: 'g1',
        userName: 'Avery',
        detail: 'Review: second',
      }),
      line({
        id: 'r1',
        at: '2026-12-07T14:00:00.000Z',
        action: 'emergency-reviewed',
        recordId: 'g1',
        userName: 'Avery',
        detail: 'Review: Genuine emergency',
      }),
    ]);
    expect(uses.find((u) => u.id === 'g1')!.review).toEqual({
      at: '2026-12-07T14:00:00.000Z',
      userName: 'Avery',
      finding: 'Genuine emergency',
    });
    expect(unreviewedCount(uses)).toBe(1);
  });

  it('asks for a written finding', () => {
    expect(reviewFindingProblem('  fine  ')).toMatch(/at least 10 characters/);
    expect(reviewFindingProblem('Genuine emergency, reads matched')).toBeUndefined();
  });
});
