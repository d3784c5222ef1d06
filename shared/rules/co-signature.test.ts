import { describe, expect, it } from 'vitest';
import {
  assertMayAnswer,
  assertMaySupervise,
  coSignatureRequestsFor,
  coSignatureState,
  returnedNotesOf,
  supervisorOf,
} from './co-signature';

const note = (id: string, over: Record<string, unknown> = {}) =>
  ({
    id,
    status: 'signed',
    createdBy: 'ari',
    signature: { at: `2026-12-0${id.length}T10:00:00.000Z` },
    ...over,
  }) as never;
const T0 = '2026-12-07T09:30:00.000Z';
const request = (noteId: string, supervisorId = 'lee', by = 'ari') =>
  ({
    noteId,
    decision: 'requested',
    supervisorId,
    comment: '',
    createdAt: T0,
    createdBy: by,
    status: 'signed',
    signature: { by, at: T0 },
  }) as never;
const answer = (noteId: string, decision: 'co-signed' | 'returned', at: string, by = 'lee') =>
  ({
    noteId,
    decision,
    supervisorId: by,
    comment: decision === 'returned' ? 'Add the dose time' : '',
    createdAt: at,
    createdBy: by,
    status: 'signed',
    signature: { by, at },
  }) as never;
const addendum = (targetId: string, at: string, by = 'ari') =>
  ({ targetId, createdAt: at, createdBy: by, status: 'signed' }) as never;

const T1 = '2026-12-07T10:00:00.000Z';
const T2 = '2026-12-07T11:00:00.000Z';
const T3 = '2026-12-07T12:00:00.000Z';

describe('co-signature state', () => {
  const req = [request('n')];
  it('is not asked without a request by the author, or of a note not signed', () => {
    expect(coSignatureState(note('n'), [], []).state).toBe('not-asked');
    // A "request" signed by someone else than the author asks nothing.
    expect(coSignatureState(note('n'), [request('n', 'lee', 'sam')], []).state).toBe('not-asked');
    expect(coSignatureState(note('n', { status: 'entered-in-error' }), req, []).state).toBe(
      'not-asked',
    );
  });

  it('goes requested → returned → requested again after the author’s addendum → co-signed', () => {
    const n = note('n');
    expect(coSignatureState(n, req, [])).toMatchObject({ state: 'requested', supervisorId: 'lee' });
    const returned = [...req, answer('n', 'returned', T1)];
    expect(coSignatureState(n, returned, []).state).toBe('returned');
    // An addendum written before the return, or by someone else, does not answer it.
    expect(coSignatureState(n, returned, [addendum('n', T0)]).state).toBe('returned');
    expect(coSignatureState(n, returned, [addendum('n', T2, 'lee')]).state).toBe('returned');
    expect(coSignatureState(n, returned, [addendum('n', T2)]).state).toBe('requested');
    const done = coSignatureState(
      n,
      [...returned, answer('n', 'co-signed', T3)],
      [addendum('n', T2)],
    );
    expect(done).toMatchObject({ state: 'co-signed', supervisorId: 'lee' });
  });

  it('counts a step only when its verified signer is the one it names', () => {
    const forged = {
      ...(answer('n', 'co-signed', T1) as object),
      signature: { by: 'sam', at: T1 },
    };
    expect(coSignatureState(note('n'), [...req, forged as never], []).state).toBe('requested');
    const unsignedRequest = { ...(request('n') as object), signature: undefined };
    expect(coSignatureState(note('n'), [unsignedRequest as never], []).state).toBe('not-asked');
  });

  it('counts only answers by the supervisor named on the request', () => {
    expect(
      coSignatureState(note('n'), [...req, answer('n', 'co-signed', T1, 'sam')], []).state,
    ).toBe('requested');
  });
});

describe('who may answer', () => {
  const requested = coSignatureState(note('n'), [request('n')], []);
  it('refuses the author, a colleague who is not the supervisor, and a second co-signature', () => {
    expect(() => assertMayAnswer(note('n'), requested, 'ari', 'co-signed', '')).toThrow(
      /your own note/,
    );
    expect(() => assertMayAnswer(note('n'), requested, 'sam', 'co-signed', '')).toThrow(
      /Only the supervisor/,
    );
    const done = coSignatureState(note('n'), [request('n'), answer('n', 'co-signed', T1)], []);
    expect(() => assertMayAnswer(note('n'), done, 'lee', 'co-signed', '')).toThrow(
      /already co-signed/,
    );
    expect(() => assertMayAnswer(note('n'), requested, 'lee', 'co-signed', '')).not.toThrow();
  });

  it('asks a reason to return, and waits for the author once returned', () => {
    expect(() => assertMayAnswer(note('n'), requested, 'lee', 'returned', ' ')).toThrow(
      /what the author should/,
    );
    const returned = coSignatureState(note('n'), [request('n'), answer('n', 'returned', T1)], []);
    expect(() => assertMayAnswer(note('n'), returned, 'lee', 'co-signed', '')).toThrow(
      /returned to its author/,
    );
  });

  it('refuses a note that asks nobody', () => {
    const n = note('n');
    expect(() => assertMayAnswer(n, coSignatureState(n, [], []), 'lee', 'co-signed', '')).toThrow(
      /does not ask/,
    );
  });
});

describe('supervision', () => {
  const lee = { id: 'lee', roles: ['therapist'], active: true, displayName: 'Lee' } as never;
  const ari = { id: 'ari', roles: ['therapist'], active: true } as never;
  it('pairs two current clinicians, never oneself or a manager', () => {
    expect(() => assertMaySupervise(ari, lee)).not.toThrow();
    expect(() =>
      assertMaySupervise(ari, { ...(ari as object), displayName: 'Ari' } as never),
    ).toThrow(/themselves/);
    expect(() =>
      assertMaySupervise(ari, { id: 'jo', roles: ['practice-manager'], active: true } as never),
    ).toThrow(/not a therapist or prescriber/);
    expect(() => assertMaySupervise(ari, { ...(lee as object), active: false } as never)).toThrow(
      /current colleague/,
    );
    expect(() =>
      assertMaySupervise({ id: 'jo', roles: ['practice-manager'], active: true } as never, lee),
    ).toThrow(/Only therapists and prescribers/);
  });

  it('sends notes only to a supervisor who can still answer', () => {
    const users = [lee, { id: 'gone', roles: ['therapist'], active: false }] as never[];
    expect(supervisorOf({ supervisorId: 'lee' }, users)).toBe('lee');
    expect(supervisorOf({ supervisorId: 'gone' }, users)).toBeUndefined();
    expect(supervisorOf({ supervisorId: null }, users)).toBeUndefined();
  });
});

describe('lists', () => {
  it('gives the supervisor what waits for them and the author what came back, oldest first', () => {
    const notes = [
      note('bb'),
      note('a'),
      note('ccc'),
      note('dddd'),
      note('eeeee', { createdBy: 'kim' }),
    ];
    const steps = [
      ...['a', 'bb', 'dddd'].map((id) => request(id)),
      request('ccc', 'sam'),
      request('eeeee', 'lee', 'kim'),
      answer('dddd', 'returned', T1),
      answer('bb', 'co-signed', T1),
    ];
    const ids = (items: { note: unknown }[]) => items.map((i) => (i.note as { id: string }).id);
    expect(ids(coSignatureRequestsFor('lee', notes, steps, []))).toEqual(['a', 'eeeee']);
    expect(ids(returnedNotesOf('ari', notes, steps, []))).toEqual(['dddd']);
    expect(returnedNotesOf('kim', notes, steps, [])).toEqual([]);
  });
});
