/**
 * Role × action × record kind, written out as the policy the clinic agreed to (issue 7 §6; the
 * reasons are in shared/rules/permissions.ts). A change to the permission table that is not also a
 * change to this policy fails here, and the repository is checked to enforce every cell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_KINDS, ROLES, type RecordKind, type Role } from '../../shared/model';
import { ACTIONS, type Action, assertCan, can } from '../../shared/rules/permissions';
import type { KatDatabase } from '../../renderer/db/database';
import { RecordStore } from '../../renderer/db/record-store';
import type { Session } from '../../renderer/db/session';
import { freshClinic } from '../../renderer/db/test-support';

const T: Role = 'therapist',
  P: Role = 'prescriber',
  M: Role = 'practice-manager',
  A: Role = 'administrator';
const ALL: Role[] = [T, P, M, A];

/** For each kind: who may read, write (record or edit) and sign. */
const POLICY: Record<RecordKind, Record<Action, Role[]>> = {
  patient: { read: ALL, write: ALL, sign: [] },
  user: { read: ALL, write: [A], sign: [] },
  appointment: { read: ALL, write: ALL, sign: [] },
  encounter: { read: ALL, write: [T, P], sign: [] },
  note: { read: [T, P], write: [T, P], sign: [T, P] },
  addendum: { read: [T, P], write: [T, P], sign: [T, P] },
  'co-signature': { read: [T, P], write: [T, P], sign: [T, P] },
  'integration-summary': { read: [T, P], write: [T, P], sign: [T, P] },
  measure: { read: [T, P], write: [T, P], sign: [T, P] },
  dose: { read: [T, P], write: [P], sign: [P] },
  eligibility: { read: [T, P], write: [P], sign: [P] },
  'home-prescription': { read: [T, P], write: [P], sign: [P] },
  'treatment-plan': { read: [T, P], write: [T, P], sign: [T, P] },
  'inventory-lot': { read: [P, A], write: [P], sign: [] },
  'inventory-transaction': { read: [P, A], write: [P], sign: [P] },
  'consent-template': { read: ALL, write: [M, A], sign: [] },
  'signed-consent': { read: ALL, write: [T, P, M], sign: [T, P, M] },
  'note-template': { read: ALL, write: [T, P, A], sign: [] },
  'clinic-settings': { read: ALL, write: [A], sign: [] },
  'consent-packet': { read: ALL, write: [M, A], sign: [] },
};

const cells = RECORD_KINDS.flatMap((kind) =>
  ROLES.flatMap((role) =>
    ACTIONS.map((action) => ({ kind, role, action, allowed: POLICY[kind][action].includes(role) })),
  ),
);

describe('permission table', () => {
  it('covers every kind the model knows', () => {
    expect(Object.keys(POLICY).sort()).toEqual([...RECORD_KINDS].sort());
  });

  it.each(cells)('$role $action $kind → $allowed', ({ kind, role, action, allowed }) => {
    expect(can([role], action, kind)).toBe(allowed);
    if (allowed) expect(() => assertCan([role], action, kind)).not.toThrow();
    else expect(() => assertCan([role], action, kind)).toThrow(/Your role \(.+\) does not allow/);
  });

  it('the issue’s named rules hold', () => {
    expect(can([T], 'write', 'dose')).toBe(false); // a therapist cannot record a dose
    expect(can([T], 'write', 'consent-template')).toBe(false);
    for (const role of [T, P, M]) expect(can([role], 'write', 'user')).toBe(false);
    expect(can([M], 'read', 'note')).toBe(false); // minimum necessary, 45 CFR 164.502(b)
  });

  it('a person with several roles gets the union, and no role gets nothing', () => {
    expect(can([T, M], 'write', 'consent-template')).toBe(true);
    for (const kind of RECORD_KINDS)
      for (const action of ACTIONS) expect(can([], action, kind)).toBe(false);
  });
});

describe('the repository enforces every cell, not the screens', () => {
  let db: KatDatabase;
  let session: Session;
  beforeAll(async () => {
    ({ db, session } = await freshClinic());
  });
  afterAll(() => db.delete());
  const storeFor = (role: Role) =>
    new RecordStore(db, { ...session, user: { ...session.user, roles: [role] } });

  it.each(RECORD_KINDS.flatMap((kind) => ROLES.map((role) => ({ kind, role }))))(
    '$role reading and writing $kind',
    async ({ kind, role }) => {
      const store = storeFor(role);
      const read = store.listKind(kind);
      if (POLICY[kind].read.includes(role)) await expect(read).resolves.toBeInstanceOf(Array);
      else await expect(read).rejects.toMatchObject({ code: 'permission.denied' });
      // An empty body: refused for permission first, otherwise for the missing fields.
      const write = store.create(kind, {} as never);
      await expect(write).rejects.toMatchObject({
        code: POLICY[kind].write.includes(role) ? 'validation' : 'permission.denied',
      });
    },
  );
});
