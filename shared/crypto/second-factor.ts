/**
 * A member's second factor, kept in their keyring row (format: README.md beside this file,
 * "Second factor"). A security key whose authenticator has the WebAuthn PRF extension contributes
 * a secret to the key-encryption key, so the passphrase alone opens nothing; without PRF, and for
 * an authenticator-app code (TOTP), the factor is a check at the sign-in screen only.
 */
import { z } from 'zod';
import { type Bytes, concatBytes, fromBase64, toBase64, utf8 } from '../util/bytes';
import { TamperedError, importAesKey, open, seal } from './envelope';

const Sealed = z.object({ iv: z.string().max(64), ct: z.string().max(400) });

/** WebAuthn credential (ES256 only: every security key and platform authenticator offers it). */
export const SecurityKeyFactor = z.object({
  kind: z.literal('security-key'),
  /** base64url, as WebAuthn names it. */
  credentialId: z
    .string()
    .min(16)
    .max(1400)
    .regex(/^[A-Za-z0-9_-]+$/),
  /** SPKI, base64 (ECDSA P-256). */
  publicKey: z.string().min(16).max(400),
  rpId: z.string().min(1).max(253),
  /**
   * Present when the authenticator gave a PRF result at enrolment: the 32 random bytes it is asked
   * to evaluate, and the keys in this row are sealed under passphrase + PRF (kekWithPrf).
   */
  prfSalt: z.string().min(40).max(48).optional(),
  /** With prfSalt: proves the passphrase alone (re-confirming before signing), opening nothing. */
  passphraseCheck: Sealed.optional(),
  label: z.string().max(80),
  addedAt: z.string().max(40),
});
export type SecurityKeyFactor = z.infer<typeof SecurityKeyFactor>;

/** RFC 6238 authenticator app: the shared secret, sealed under the member's passphrase key. */
export const AppCodeFactor = z.object({
  kind: z.literal('authenticator-app'),
  secret: Sealed,
  addedAt: z.string().max(40),
});
export type AppCodeFactor = z.infer<typeof AppCodeFactor>;

export const SecondFactor = z.discriminatedUnion('kind', [SecurityKeyFactor, AppCodeFactor]);
export type SecondFactor = z.infer<typeof SecondFactor>;

/** True when the row's keys need the factor's secret, not only the passphrase, to open. */
export const factorSealsKeys = (f: SecondFactor | undefined): f is SecurityKeyFactor =>
  f?.kind === 'security-key' && !!f.prfSalt;

export const PRF_BYTES = 32;

/**
 * The key-encryption key of a member with a PRF security key: HKDF-SHA-256 over the Argon2id
 * output and the authenticator's PRF output together, bound to the member and the credential.
 * Either half alone gives nothing.
 */
export async function kekWithPrf(
  passphraseBits: Uint8Array,
  prfOutput: Uint8Array,
  owner: string,
  credentialId: string,
): Promise<CryptoKey> {
  if (prfOutput.length !== PRF_BYTES || passphraseBits.length !== 32)
    throw new Error('A key secret of the wrong length was offered.');
  const ikm = await crypto.subtle.importKey(
    'raw',
    concatBytes(passphraseBits, prfOutput),
    'HKDF',
    false,
    ['deriveBits'],
  );
  const bits = await crypto.subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: utf8('kat:kek:passphrase+prf:v1'),
      info: utf8(`kat:kek:passphrase+prf:v1|${owner}|${credentialId}`),
    },
    ikm,
    256,
  );
  return importAesKey(new Uint8Array(bits), false);
}

const checkAad = (owner: string) => `kat:passphrase-check:v1|${owner}`;

/** An empty envelope under the passphrase key: opening it proves the passphrase, nothing more. */
export async function sealPassphraseCheck(passphraseKek: CryptoKey, owner: string) {
  const { iv, ct } = await seal(passphraseKek, new Uint8Array(0), checkAad(owner));
  return { iv: toBase64(iv), ct: toBase64(ct) };
}

export async function passphraseCheckHolds(
  check: { iv: string; ct: string },
  passphraseKek: CryptoKey,
  owner: string,
): Promise<boolean> {
  try {
    await open(
      passphraseKek,
      { iv: fromBase64(check.iv), ct: fromBase64(check.ct) },
      checkAad(owner),
    );
    return true;
  } catch (e) {
    if (e instanceof TamperedError) return false;
    throw e;
  }
}

export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Bytes {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return fromBase64(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
}
