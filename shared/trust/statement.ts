/**
 * The clinic membership chain: the statements, their wire form and what a signature covers.
 * Format and rules: README.md beside this file. Every statement is canonical JSON (keys sorted,
 * no spaces; `canonicalJson`), so the same statement always has the same bytes and hash.
 */
import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../crypto/hash';
import { Role } from '../model/user';
import { utf8 } from '../util/bytes';
import { UUID_V7 } from '../util/ids';

export const CHAIN_FORMAT = 1 as const;

/** Statements one chain may hold, and one append may carry (bounds for every reader). */
export const CHAIN_LIMITS = {
  maxStatements: 100_000,
  maxStatementChars: 8_192,
  maxAppend: 64,
} as const;

const Id = z.string().regex(UUID_V7, 'Not an id');
const Instant = z.iso.datetime({ offset: true });
const B64 = z
  .string()
  .min(16)
  .max(400)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Not base64');
const Roles = z.array(Role).min(1).max(4);

/** A member's public keys: ECDSA P-256 (SPKI) signs, ECDH P-256 (raw point) receives keys. */
export const MemberKeys = z.strictObject({ signingKey: B64, agreementKey: B64 });
export type MemberKeys = z.infer<typeof MemberKeys>;

/** Why a clinic key version exists (the same words as shared/crypto/keyring KEY_REASONS). */
const KeyReason = z.enum(['clinic-created', 'user-removed', 'device-revoked', 'manual']);

export const StatementBody = z.discriminatedUnion('kind', [
  /**
   * Seq 0: the founding administrator. `legacyBefore` marks a clinic that existed before the
   * chain: records written before it carry no author signature and are taken as they are.
   */
  z.strictObject({
    kind: z.literal('root'),
    userId: Id,
    roles: Roles,
    keys: MemberKeys,
    legacyBefore: Instant.optional(),
  }),
  z.strictObject({ kind: z.literal('add-user'), userId: Id, roles: Roles, keys: MemberKeys }),
  z.strictObject({ kind: z.literal('change-roles'), userId: Id, roles: Roles }),
  /** A member's new keys (passphrase recovered with the recovery key, or keys made at migration). */
  z.strictObject({ kind: z.literal('replace-keys'), userId: Id, keys: MemberKeys }),
  /** Removes the user and revokes every computer they own; their bundles after `upTo` are refused. */
  z.strictObject({
    kind: z.literal('remove-user'),
    userId: Id,
    upTo: z.number().int().min(0),
  }),
  z.strictObject({
    kind: z.literal('enroll-device'),
    deviceId: Id,
    publicKey: B64,
    owner: Id,
  }),
  /** The computer's bundles up to server sequence `upTo` (what the administrator had seen) stand. */
  z.strictObject({
    kind: z.literal('revoke-device'),
    deviceId: Id,
    upTo: z.number().int().min(0),
  }),
  /**
   * A clinic key version. `commitment` = HMAC-SHA-256 under the key itself (commitment.ts): a
   * computer that opens a grant checks the key is the one an administrator announced.
   */
  z.strictObject({
    kind: z.literal('new-key-version'),
    version: z.number().int().positive().max(2_147_483_647),
    reason: KeyReason,
    createdAt: Instant,
    commitment: B64,
  }),
  /** The clinic recovery key's holder: its public key and the hash of its sealed private half. */
  z.strictObject({
    kind: z.literal('set-recovery'),
    agreementKey: B64,
    sealedHash: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  /**
   * From here on every record change must name its author and carry their signature
   * (change-author.ts); bundles at server sequence `upTo` or below, sealed before, stand as they
   * were. Signed once, by an administrator's computer (at clinic creation, or at an
   * administrator's next sign-in in a clinic from before it).
   */
  z.strictObject({ kind: z.literal('require-authors'), upTo: z.number().int().min(0) }),
  /**
   * The clinic's rule for a second factor at sign-in (issue 18 deliverable 5): `off` (not
   * offered), `optional`, or `required` for members holding any of `roles`. Signed by an
   * administrator, so a hostile server cannot switch it off; the newest one holds.
   */
  z.strictObject({
    kind: z.literal('second-factor-policy'),
    mode: z.enum(['off', 'optional', 'required']),
    roles: z.array(Role).max(4),
  }),
]);
export type StatementBody = z.infer<typeof StatementBody>;
export type StatementKind = StatementBody['kind'];

/** What is signed: everything but the signature. */
export const UnsignedStatement = z.strictObject({
  v: z.literal(CHAIN_FORMAT),
  clinicId: Id,
  seq: z.number().int().min(0).max(CHAIN_LIMITS.maxStatements),
  /** sha256 hex of the previous statement's canonical JSON (with its signature); null at seq 0. */
  prev: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  at: Instant,
  /** The signing member's user id; the key is theirs in the chain state before this statement. */
  by: Id,
  body: StatementBody,
});
export type UnsignedStatement = z.infer<typeof UnsignedStatement>;

export const Statement = UnsignedStatement.extend({
  /** ECDSA P-256 / SHA-256, IEEE P1363 (r ‖ s), base64, over signingBytes(). */
  sig: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'Not a P-256 signature'),
});
export type Statement = z.infer<typeof Statement>;

/** The bytes a statement's signature covers: a domain label, then the canonical JSON. */
export function signingBytes(s: UnsignedStatement): Uint8Array {
  const { v, clinicId, seq, prev, at, by, body } = s;
  return utf8(`kat:chain:v1\n${canonicalJson({ v, clinicId, seq, prev, at, by, body })}`);
}

export const statementText = (s: Statement) => canonicalJson(s);

/** The link the next statement names as `prev`. */
export const statementHash = (s: Statement) => sha256Hex(statementText(s));

/**
 * Parses one statement as served (text). A statement whose text is not the canonical form of its
 * value is refused: then the same statement always has one hash.
 */
export function parseStatement(
  text: string,
): { ok: true; statement: Statement } | { ok: false; why: string } {
  if (text.length > CHAIN_LIMITS.maxStatementChars) return { ok: false, why: 'too long' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, why: 'not JSON' };
  }
  const parsed = Statement.safeParse(value);
  if (!parsed.success) return { ok: false, why: parsed.error.issues[0]?.message ?? 'malformed' };
  if (canonicalJson(parsed.data) !== text) return { ok: false, why: 'not canonical' };
  return { ok: true, statement: parsed.data };
}
