/**
 * The state a verified chain describes — who is a member with which roles and keys, which
 * computers are enrolled or revoked, which clinic key versions exist, the recovery holder — with
 * its history, so "the author's role at the change's time" can be asked (README.md). The rules
 * here are pure and synchronous; signatures are checked by verify.ts before a statement gets here.
 */
import type { Role } from '../model/user';
import type { MemberKeys, Statement, StatementBody } from './statement';

/** One stretch of a member's history, from chain seq `from` until the next period. */
export type MemberPeriod = { from: number; roles: Role[]; keys: MemberKeys; active: boolean };
export type Member = { userId: string; periods: MemberPeriod[] };

export type ChainDevice = {
  deviceId: string;
  publicKey: string;
  owner: string;
  enrolledAt: number;
  /** Chain seq of the revocation, and the last server bundle sequence of this computer that stands. */
  revoked?: { seq: number; upTo: number };
};

export type ChainKeyVersion = {
  version: number;
  reason: 'clinic-created' | 'user-removed' | 'device-revoked' | 'manual';
  createdAt: string;
  commitment: string;
  seq: number;
};

export type ChainState = {
  clinicId: string;
  /** Number of statements applied; the head is `length - 1`. */
  length: number;
  headHash: string;
  /** Hash of statement 0: what fingerprints bind, so two screens agree on which clinic. */
  rootHash: string;
  /** Clinics that existed before the chain: unsigned records written before this are taken as is. */
  legacyBefore?: string;
  members: Map<string, Member>;
  devices: Map<string, ChainDevice>;
  keys: Map<number, ChainKeyVersion>;
  recovery?: { agreementKey: string; sealedHash: string; seq: number };
  /**
   * Since chain seq `seq`, record changes must carry their author's signature; bundles at server
   * sequence `upTo` or below (sealed before) stand without (change-author.ts).
   */
  authorsRequired?: { seq: number; upTo: number };
  /** The clinic's second-factor rule; none signed yet means optional (second-factor-policy). */
  secondFactor?: { mode: 'off' | 'optional' | 'required'; roles: Role[]; seq: number };
};

export const headSeq = (s: ChainState) => s.length - 1;

/** The member's period in force at chain seq `seq` (undefined before they were added). */
export function memberAt(state: ChainState, userId: string, seq: number): MemberPeriod | undefined {
  const m = state.members.get(userId);
  if (!m) return undefined;
  let found: MemberPeriod | undefined;
  for (const p of m.periods) if (p.from <= seq) found = p;
  return found;
}

export const currentMember = (state: ChainState, userId: string) =>
  memberAt(state, userId, headSeq(state));

export const isActiveAdmin = (p: MemberPeriod | undefined) =>
  !!p && p.active && p.roles.includes('administrator');

export const newestKeyVersion = (state: ChainState) => Math.max(0, ...state.keys.keys());

function activeAdmins(state: ChainState): string[] {
  return [...state.members.values()]
    .filter((m) => isActiveAdmin(m.periods[m.periods.length - 1]))
    .map((m) => m.userId);
}

const allKeys = (state: ChainState) =>
  [...state.members.values()].flatMap((m) => m.periods.map((p) => p.keys.signingKey));

/**
 * Why `body` may not follow `state` (plain words), or undefined when it may. `by` is the signer,
 * already known to be an active administrator (or the root's own member).
 */
export function ruleProblem(
  state: ChainState,
  body: StatementBody,
  by: string,
): string | undefined {
  const member = (id: string) => currentMember(state, id);
  switch (body.kind) {
    case 'root':
      return 'names a second founding administrator; a clinic has one root.';
    case 'add-user':
      if (state.members.has(body.userId)) return 'adds a user who is already a member.';
      if (allKeys(state).includes(body.keys.signingKey))
        return 'adds a user with keys another member already has.';
      return undefined;
    case 'change-roles': {
      const m = member(body.userId);
      if (!m?.active) return 'changes the roles of someone who is not a member.';
      if (!body.roles.includes('administrator') && lastAdmin(state, body.userId))
        return 'takes the administrator role from the last administrator.';
      return undefined;
    }
    case 'replace-keys': {
      if (!member(body.userId)?.active) return 'gives new keys to someone who is not a member.';
      if (allKeys(state).includes(body.keys.signingKey))
        return 'gives a member keys that were already used.';
      return undefined;
    }
    case 'remove-user':
      if (!member(body.userId)?.active) return 'removes someone who is not a member.';
      if (body.userId === by) return 'removes the administrator who signed it.';
      if (lastAdmin(state, body.userId)) return 'removes the last administrator.';
      return undefined;
    case 'enroll-device':
      if (state.devices.has(body.deviceId)) return 'enrolls a computer that was already enrolled.';
      if (!member(body.owner)?.active) return 'enrolls a computer for someone who is not a member.';
      return undefined;
    case 'revoke-device': {
      const d = state.devices.get(body.deviceId);
      if (!d) return 'removes a computer that was never enrolled.';
      if (d.revoked) return 'removes a computer that was already removed.';
      return undefined;
    }
    case 'new-key-version':
      if (body.version !== newestKeyVersion(state) + 1)
        return `announces clinic key version ${body.version} where ${newestKeyVersion(state) + 1} comes next.`;
      return undefined;
    case 'set-recovery':
      return undefined;
    case 'require-authors':
      if (state.authorsRequired) return 'requires author signatures, which were required already.';
      return undefined;
    case 'second-factor-policy':
      if (body.mode === 'required' && body.roles.length === 0)
        return 'requires a second factor without naming for which roles.';
      if (body.mode !== 'required' && body.roles.length > 0)
        return 'names roles for a second factor that is not required.';
      return undefined;
  }
}

function lastAdmin(state: ChainState, userId: string) {
  const admins = activeAdmins(state);
  return admins.length === 1 && admins[0] === userId;
}

/** The state after seq 0 (checked by verify.ts). */
export function rootState(root: Statement, hash: string): ChainState {
  if (root.body.kind !== 'root') throw new Error('Not a root statement');
  const b = root.body;
  return {
    clinicId: root.clinicId,
    length: 1,
    headHash: hash,
    rootHash: hash,
    legacyBefore: b.legacyBefore,
    members: new Map([
      [
        b.userId,
        { userId: b.userId, periods: [{ from: 0, roles: b.roles, keys: b.keys, active: true }] },
      ],
    ]),
    devices: new Map(),
    keys: new Map(),
  };
}

/** Applies a statement whose signature and rules were checked; mutates `state`. */
export function applyStatement(state: ChainState, s: Statement, hash: string): void {
  const { seq, body } = s;
  const period = (userId: string, change: Partial<MemberPeriod>) => {
    const m = state.members.get(userId)!;
    const last = m.periods[m.periods.length - 1]!;
    m.periods.push({ ...last, ...change, from: seq });
  };
  switch (body.kind) {
    case 'root':
      break;
    case 'add-user':
      state.members.set(body.userId, {
        userId: body.userId,
        periods: [{ from: seq, roles: body.roles, keys: body.keys, active: true }],
      });
      break;
    case 'change-roles':
      period(body.userId, { roles: body.roles });
      break;
    case 'replace-keys':
      period(body.userId, { keys: body.keys });
      break;
    case 'remove-user':
      period(body.userId, { active: false });
      for (const d of state.devices.values())
        if (d.owner === body.userId && !d.revoked) d.revoked = { seq, upTo: body.upTo };
      break;
    case 'enroll-device':
      state.devices.set(body.deviceId, {
        deviceId: body.deviceId,
        publicKey: body.publicKey,
        owner: body.owner,
        enrolledAt: seq,
      });
      break;
    case 'revoke-device':
      state.devices.get(body.deviceId)!.revoked = { seq, upTo: body.upTo };
      break;
    case 'new-key-version':
      state.keys.set(body.version, {
        version: body.version,
        reason: body.reason,
        createdAt: body.createdAt,
        commitment: body.commitment,
        seq,
      });
      break;
    case 'set-recovery':
      state.recovery = { agreementKey: body.agreementKey, sealedHash: body.sealedHash, seq };
      break;
    case 'require-authors':
      state.authorsRequired = { seq, upTo: body.upTo };
      break;
    case 'second-factor-policy':
      state.secondFactor = { mode: body.mode, roles: [...new Set(body.roles)], seq };
      break;
  }
  state.length = seq + 1;
  state.headHash = hash;
}
