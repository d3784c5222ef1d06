/**
 * A member's second factor: adding and removing it (from Settings, while signed in, with the
 * passphrase confirmed), what the sign-in screen needs to ask for it, and the check sign-in makes.
 * Format and what each kind protects: shared/crypto/README.md, "Second factor".
 */
import { importAesKey } from '../../shared/crypto/envelope';
import { sealIdentity } from '../../shared/crypto/keyring';
import {
  WrongPassphraseError,
  derivePassphraseBits,
  unwrapDataKey,
  wrapDataKey,
} from '../../shared/crypto/passphrase';
import {
  PRF_BYTES,
  type SecondFactor,
  type SecurityKeyFactor,
  factorSealsKeys,
  kekWithPrf,
  passphraseCheckHolds,
  sealPassphraseCheck,
  toBase64Url,
} from '../../shared/crypto/second-factor';
import { type Assertion, assertionProblem } from '../../shared/crypto/webauthn-assertion';
import { appCodeStep, openAppSecret, sealAppSecret } from '../../shared/crypto/app-code';
import { Username } from '../../shared/model';
import { RuleError } from '../../shared/rules/errors';
import { signRow } from '../../shared/trust/rows';
import { toBase64 } from '../../shared/util/bytes';
import type { UserKeys } from '../sync/clinic-keys';
import type { KatDatabase } from './database';
import type { Session } from './session';

/** What a sign-in brings besides the passphrase. */
export type FactorProof =
  | { kind: 'security-key'; assertion: Assertion; prfOutput?: Uint8Array }
  | { kind: 'authenticator-app'; code: string };

/** What the sign-in screen needs to ask for a member's factor (nothing secret). */
export type FactorPrompt =
  | {
      kind: 'security-key';
      credentialId: string;
      rpId: string;
      prfSalt?: string;
      challenge: Uint8Array;
    }
  | { kind: 'authenticator-app' };

/** One challenge per user name, taken once, for two minutes (WebAuthn §13.4.3). */
const challenges = new Map<string, { bytes: Uint8Array; until: number }>();
const CHALLENGE_MS = 2 * 60_000;

async function rowNamed(db: KatDatabase, username: string): Promise<UserKeys | undefined> {
  const name = Username.safeParse(username.trim());
  if (!name.success) return undefined;
  return (await db.keyring.where('username').equals(name.data).first()) as UserKeys | undefined;
}

export async function factorPromptFor(
  db: KatDatabase,
  username: string,
  nowMs = Date.now(),
): Promise<FactorPrompt | undefined> {
  return promptForRow(await rowNamed(db, username), username, nowMs);
}

/** What to ask for the factor of a row (also one fetched from the server, before it is stored). */
function promptForRow(
  row: UserKeys | undefined,
  username: string,
  nowMs: number,
): FactorPrompt | undefined {
  const factor = row?.factor;
  if (!factor) return undefined;
  if (factor.kind === 'authenticator-app') return { kind: 'authenticator-app' };
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  challenges.set(username.trim(), { bytes, until: nowMs + CHALLENGE_MS });
  const { credentialId, rpId, prfSalt } = factor;
  return { kind: 'security-key', credentialId, rpId, prfSalt, challenge: bytes };
}

export function takeChallenge(username: string, nowMs = Date.now()): Uint8Array | undefined {
  const c = challenges.get(username.trim());
  challenges.delete(username.trim());
  return c && c.until > nowMs ? c.bytes : undefined;
}

/**
 * The key-encryption key sign-in opens a row with: the passphrase's, or — when the row's keys are
 * sealed under a PRF security key — the passphrase's and the key's together. Throws
 * WrongPassphraseError when a needed PRF result is missing.
 */
export async function kekForSignIn(
  row: UserKeys,
  passphrase: string,
  proof: FactorProof | undefined,
): Promise<CryptoKey> {
  const bits = await derivePassphraseBits(passphrase, row.kdf);
  if (!factorSealsKeys(row.factor)) return importAesKey(bits, false);
  if (proof?.kind !== 'security-key' || proof.prfOutput?.length !== PRF_BYTES)
    throw new WrongPassphraseError();
  return kekWithPrf(bits, proof.prfOutput, row.userId, row.factor.credentialId);
}

/**
 * Null when the proof satisfies the row's factor (or there is none); otherwise why not, for the
 * audit trail. Checked after the keys opened, before the session exists.
 */
export async function factorProblem(
  db: KatDatabase,
  row: UserKeys,
  kek: CryptoKey,
  username: string,
  proof: FactorProof | undefined,
  origin: string,
  nowMs = Date.now(),
): Promise<string | null> {
  const factor = row.factor;
  if (!factor) return null;
  if (factor.kind === 'security-key') {
    if (proof?.kind !== 'security-key') return 'no security key was used';
    const challenge = takeChallenge(username);
    if (!challenge) return 'the security key was asked too long ago';
    return assertionProblem(proof.assertion, {
      publicKeySpki: factor.publicKey,
      rpId: factor.rpId,
      origin,
      challenge,
    });
  }
  if (proof?.kind !== 'authenticator-app') return 'no app code was typed';
  const secret = await openAppSecret(factor.secret, kek, row.userId);
  if (!secret) return 'the app code secret does not open';
  const step = appCodeStep(secret, proof.code, nowMs);
  if (step === null) return 'a wrong app code';
  // A code works once on this computer (RFC 6238 §5.2): someone who watched it typed is too late.
  const key = `app-code-step:${row.userId}`;
  const last = (await db.meta.get(key))?.value as number | undefined;
  if (last !== undefined && step <= last) return 'an app code already used';
  await db.meta.put({ key, value: step });
  return null;
}

export class SecondFactorError extends RuleError {}

/**
 * A new computer fetching a member's row whose keys or sign-in need the second factor, and none
 * was brought: `prompt` is what to ask for (the join screen asks, then tries again with it).
 */
export class FactorNeededError extends RuleError {
  constructor(readonly prompt: FactorPrompt) {
    super(
      'factor.needed',
      prompt.kind === 'security-key'
        ? 'Your keys also need the security key you added. Use it to fetch them.'
        : 'Enter the 6-digit code from your authenticator app to fetch your keys.',
    );
  }
}

const joinRefused = (factor: SecondFactor) =>
  new SecondFactorError(
    'factor.join-refused',
    (factor.kind === 'security-key'
      ? 'That security key is not the one you added in Settings, so your keys were not fetched.'
      : 'That code does not match your authenticator app, so your keys were not fetched.') +
      ' Nothing was changed on this computer. Try again with the ' +
      (factor.kind === 'security-key' ? 'key you added' : 'newest code') +
      '. If it is lost: on a computer of the clinic that already syncs, choose “Forgot ' +
      'passphrase?” and use the clinic recovery key, then come back here.',
  );

/**
 * The key-encryption key a joining computer opens a member's fetched row with (passphrase, and
 * the factor when the row has one). The passphrase is checked first, so a typo is told before any
 * key is asked for; then a row with a factor throws FactorNeededError until `proof` is brought,
 * and a wrong proof SecondFactorError. A security key's answer is checked here in full (signature,
 * challenge, origin) and stays good for the one sign-in that follows on this computer, so the
 * member touches the key once; an app code is checked but not yet spent, for the same reason.
 */
export async function kekForJoin(
  row: UserKeys,
  username: string,
  passphrase: string,
  proof: FactorProof | undefined,
  origin: string,
  nowMs = Date.now(),
): Promise<CryptoKey> {
  const bits = await derivePassphraseBits(passphrase, row.kdf);
  const passKek = await importAesKey(bits, false);
  const factor = row.factor;
  const check = factorSealsKeys(factor) ? factor.passphraseCheck : undefined;
  if (check && !(await passphraseCheckHolds(check, passKek, row.userId)))
    throw new WrongPassphraseError();
  if (!factorSealsKeys(factor) && factor && row.wrapped[0])
    await unwrapDataKey(row.wrapped[0], passKek, row.userId); // WrongPassphraseError when wrong
  if (!factor) return passKek;
  if (!proof) throw new FactorNeededError(promptForRow(row, username, nowMs)!);
  if (factor.kind === 'authenticator-app') {
    const secret =
      proof.kind === 'authenticator-app' &&
      (await openAppSecret(factor.secret, passKek, row.userId));
    if (!secret || appCodeStep(secret, proof.code, nowMs) === null) throw joinRefused(factor);
    return passKek;
  }
  if (proof.kind !== 'security-key') throw joinRefused(factor);
  const challenge = takeChallenge(username, nowMs);
  const problem = challenge
    ? await assertionProblem(proof.assertion, {
        publicKeySpki: factor.publicKey,
        rpId: factor.rpId,
        origin,
        challenge,
      })
    : 'the security key was asked too long ago';
  if (problem) throw joinRefused(factor);
  let kek = passKek;
  if (factorSealsKeys(factor)) {
    if (proof.prfOutput?.length !== PRF_BYTES) throw joinRefused(factor);
    kek = await kekWithPrf(bits, proof.prfOutput, row.userId, factor.credentialId);
    const opens = await unwrapDataKey(row.wrapped[0]!, kek, row.userId).then(
      () => true,
      (e) => {
        if (e instanceof WrongPassphraseError) return false;
        throw e;
      },
    );
    if (!opens) throw joinRefused(factor);
  }
  challenges.set(username.trim(), { bytes: challenge!, until: nowMs + CHALLENGE_MS });
  return kek;
}

/** The passphrase key of the signed-in member's row, once the passphrase is confirmed. */
async function confirmPassphrase(row: UserKeys, passphrase: string) {
  const bits = await derivePassphraseBits(passphrase, row.kdf);
  const kek = await importAesKey(bits, false);
  const check = factorSealsKeys(row.factor) ? row.factor.passphraseCheck : undefined;
  let ok: boolean;
  if (check) ok = await passphraseCheckHolds(check, kek, row.userId);
  else if (factorSealsKeys(row.factor)) ok = false;
  else
    ok = await unwrapDataKey(row.wrapped[0]!, kek, row.userId).then(
      () => true,
      (e) => {
        if (e instanceof WrongPassphraseError) return false;
        throw e;
      },
    );
  if (!ok)
    throw new SecondFactorError(
      'factor.wrong-passphrase',
      'That passphrase is not correct. Nothing was changed.',
    );
  return { bits, kek };
}

/**
 * Re-seals the signed-in member's row under the key the new factor calls for (or the passphrase
 * alone, when `factor` is undefined), signs it with their identity and stores it. The session's
 * open identity and keys are what get sealed, so the old factor is not needed.
 */
export async function replaceOwnFactor(
  db: KatDatabase,
  session: Session,
  passphrase: string,
  next:
    | { factor: SecurityKeyFactor; prfOutput?: Uint8Array }
    | { appSecret: Uint8Array; code: string }
    | undefined,
  now = new Date(),
): Promise<UserKeys> {
  const row = (await db.keyring.get(session.user.id)) as UserKeys | undefined;
  const identity = session.identity;
  if (!row || !identity?.signing || !session.keyring)
    throw new SecondFactorError(
      'factor.no-keys',
      'Sign out and in again, then add the second factor: your keys are not open.',
    );
  const { bits, kek: passKek } = await confirmPassphrase(row, passphrase);
  let factor: SecondFactor | undefined;
  let kek = passKek;
  if (next && 'appSecret' in next) {
    // The first code proves the app holds the secret before sign-in depends on it.
    if (appCodeStep(next.appSecret, next.code, now.getTime()) === null)
      throw new SecondFactorError(
        'factor.wrong-code',
        'That code does not match the app. Check that the phone’s clock is right and type the ' +
          'newest code. Nothing was changed.',
      );
    factor = {
      kind: 'authenticator-app',
      secret: await sealAppSecret(next.appSecret, passKek, row.userId),
      addedAt: now.toISOString(),
    };
  } else if (next?.prfOutput) {
    kek = await kekWithPrf(bits, next.prfOutput, row.userId, next.factor.credentialId);
    const passphraseCheck = await sealPassphraseCheck(passKek, row.userId);
    factor = { ...next.factor, passphraseCheck };
  } else if (next) {
    factor = { ...next.factor, prfSalt: undefined, passphraseCheck: undefined };
  }
  const firstVersion = row.wrapped[0]?.keyVersion ?? session.keyring.entries()[0]!.info.version;
  const first = session.keyring.keyFor(firstVersion);
  if (!first) throw new SecondFactorError('factor.no-keys', 'Sign in again, then try again.');
  const sealed = await sealIdentity(identity, kek, row.userId);
  const updated: UserKeys = {
    ...row,
    wrapped: [await wrapDataKey(first, kek, row.userId, firstVersion)],
    identity: { ...sealed, endorsement: row.identity?.endorsement },
    factor: factor && dropUndefined(factor),
    changedAt: now.toISOString(),
  };
  if (!updated.factor) delete updated.factor;
  updated.rowSig = await signRow(updated, identity.signing.privateKey);
  await db.keyring.put(updated);
  return updated;
}

const dropUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** A new security key's record, from what the browser returned at enrolment. */
export function securityKeyFactor(input: {
  credentialId: Uint8Array;
  publicKeySpki: Uint8Array;
  rpId: string;
  prfSalt?: Uint8Array;
  label: string;
  now?: Date;
}): SecurityKeyFactor {
  return {
    kind: 'security-key',
    credentialId: toBase64Url(input.credentialId),
    publicKey: toBase64(input.publicKeySpki),
    rpId: input.rpId,
    ...(input.prfSalt ? { prfSalt: toBase64(input.prfSalt) } : {}),
    label: input.label.trim().slice(0, 80) || 'Security key',
    addedAt: (input.now ?? new Date()).toISOString(),
  };
}
