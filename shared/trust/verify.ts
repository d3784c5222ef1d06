/**
 * Verifying the membership chain: each statement must be the next in sequence, name the hash of
 * the one before, belong to this clinic, be signed by a member who was an active administrator
 * in the state before it (seq 0: the founding administrator's own key), and obey the rules of
 * chain-state.ts. Verification stops at the first statement that fails and reports it in plain
 * words; nothing after it is taken, since every later link depends on it.
 */
import { importPublicKey, verifyBytes } from '../sync/device-keys';
import { fromBase64 } from '../util/bytes';
import {
  type ChainState,
  applyStatement,
  currentMember,
  isActiveAdmin,
  rootState,
  ruleProblem,
} from './chain-state';
import { type Statement, parseStatement, signingBytes, statementHash } from './statement';

export type ChainProblemReason =
  'malformed' | 'wrong-clinic' | 'gap' | 'fork' | 'bad-signature' | 'not-admin' | 'invalid';

export type ChainProblem = { seq: number; reason: ChainProblemReason; message: string };

const entry = (seq: number) => `Entry ${seq} of the clinic's membership record`;

const WORDS: Record<ChainProblemReason, (seq: number, why: string) => string> = {
  malformed: (seq, why) => `${entry(seq)} could not be read (${why}), so it was refused.`,
  'wrong-clinic': (seq) => `${entry(seq)} belongs to another clinic, so it was refused.`,
  gap: (seq, why) =>
    `${entry(seq)} is missing: the clinic server skipped or reordered entries (${why}). ` +
    'Nothing after it was taken.',
  fork: (seq) =>
    `${entry(seq)} does not follow the entry before it as this computer holds it: someone may ` +
    'have tried to rewrite the clinic’s membership. It was refused; tell your administrator.',
  'bad-signature': (seq) =>
    `${entry(seq)} is not signed by the administrator it names, so it was refused. Tell your ` +
    'administrator: the clinic server may have been tampered with.',
  'not-admin': (seq) =>
    `${entry(seq)} was signed by someone who was not an administrator at the time, so it was ` +
    'refused.',
  invalid: (seq, why) => `${entry(seq)} ${why} It was refused.`,
};

const problem = (seq: number, reason: ChainProblemReason, why = ''): ChainProblem => ({
  seq,
  reason,
  message: WORDS[reason](seq, why),
});

export type ExtendResult = {
  /** The state after every statement that verified (the input state when none did). */
  state: ChainState | undefined;
  /** The statements taken, in order. */
  added: Statement[];
  problem?: ChainProblem;
};

/**
 * Verifies `items` (statement texts, or parsed statements) as the continuation of `state`
 * (undefined: from the root). Statements at or below the current head are recognised when they
 * are the very ones already held (`held` = the texts of the chain so far) and refused as a fork
 * otherwise. `state` is not changed; a new one is returned.
 */
export async function extendChain(
  state: ChainState | undefined,
  items: readonly (string | Statement)[],
  opts: { clinicId?: string; held?: readonly string[] } = {},
): Promise<ExtendResult> {
  let current = state && cloneState(state);
  const added: Statement[] = [];
  const keys = new Map<string, CryptoKey>();
  const keyFor = async (spki: string) => {
    let k = keys.get(spki);
    if (!k) keys.set(spki, (k = await importPublicKey(spki)));
    return k;
  };
  for (const item of items) {
    let s: Statement;
    if (typeof item === 'string') {
      const parsed = parseStatement(item);
      const next = current?.length ?? 0;
      if (!parsed.ok)
        return { state: current, added, problem: problem(next, 'malformed', parsed.why) };
      s = parsed.statement;
    } else {
      s = item;
    }
    const expected = current?.length ?? 0;
    if (s.seq < expected) {
      const mine = opts.held?.[s.seq];
      if (mine !== undefined && (await sameStatement(mine, s))) continue; // a replay of what we hold
      return { state: current, added, problem: problem(s.seq, 'fork') };
    }
    if (s.seq > expected)
      return {
        state: current,
        added,
        problem: problem(expected, 'gap', `the next one offered was entry ${s.seq}`),
      };
    const clinicId = opts.clinicId ?? current?.clinicId;
    if (clinicId && s.clinicId !== clinicId)
      return { state: current, added, problem: problem(s.seq, 'wrong-clinic') };
    if ((current?.headHash ?? null) !== s.prev)
      return {
        state: current,
        added,
        problem: problem(
          s.seq,
          current ? 'fork' : 'malformed',
          'the first entry must be the clinic’s root',
        ),
      };
    const hash = await statementHash(s);
    if (!current) {
      if (s.body.kind !== 'root')
        return {
          state: current,
          added,
          problem: problem(0, 'malformed', 'the first entry must be the clinic’s root'),
        };
      if (s.by !== s.body.userId || !s.body.roles.includes('administrator'))
        return { state: current, added, problem: problem(0, 'not-admin') };
      if (!(await signatureHolds(s, s.body.keys.signingKey, keyFor)))
        return { state: current, added, problem: problem(0, 'bad-signature') };
      current = rootState(s, hash);
      added.push(s);
      continue;
    }
    const signer = currentMember(current, s.by);
    if (!isActiveAdmin(signer))
      return { state: current, added, problem: problem(s.seq, 'not-admin') };
    if (!(await signatureHolds(s, signer!.keys.signingKey, keyFor)))
      return { state: current, added, problem: problem(s.seq, 'bad-signature') };
    const why = ruleProblem(current, s.body, s.by);
    if (why) return { state: current, added, problem: problem(s.seq, 'invalid', why) };
    applyStatement(current, s, hash);
    added.push(s);
  }
  return { state: current, added };
}

async function sameStatement(heldText: string, s: Statement) {
  const parsed = parseStatement(heldText);
  return parsed.ok && (await statementHash(parsed.statement)) === (await statementHash(s));
}

async function signatureHolds(
  s: Statement,
  spki: string,
  keyFor: (spki: string) => Promise<CryptoKey>,
): Promise<boolean> {
  let key: CryptoKey;
  try {
    key = await keyFor(spki);
  } catch {
    return false;
  }
  let sig: Uint8Array;
  try {
    sig = fromBase64(s.sig);
  } catch {
    return false;
  }
  return verifyBytes(key, sig, signingBytes(s));
}

/** A deep copy, so a caller's state never changes under it. */
export function cloneState(s: ChainState): ChainState {
  return {
    ...s,
    members: new Map(
      [...s.members].map(([k, m]) => [
        k,
        { userId: m.userId, periods: m.periods.map((p) => ({ ...p })) },
      ]),
    ),
    devices: new Map([...s.devices].map(([k, d]) => [k, { ...d }])),
    keys: new Map([...s.keys].map(([k, v]) => [k, { ...v }])),
    recovery: s.recovery && { ...s.recovery },
  };
}

/** Verifies a whole chain from its root (what a computer does with the chain it stores). */
export async function verifyChain(texts: readonly string[], clinicId?: string) {
  return extendChain(undefined, texts, { clinicId });
}
