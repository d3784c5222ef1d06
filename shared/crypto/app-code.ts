/**
 * Authenticator-app codes (TOTP, RFC 6238: HMAC-SHA-1, 30-second steps, 6 digits — what every
 * authenticator app reads from an otpauth:// QR code), through the `otpauth` library. The secret
 * is sealed under the member's passphrase key, so an app code is a check at the sign-in screen,
 * never part of what opens the keys (README.md, "Second factor").
 */
import { Secret, TOTP } from 'otpauth';
import { fromBase64, toBase64 } from '../util/bytes';
import { TamperedError, open, seal } from './envelope';

export const APP_CODE = { digits: 6, period: 30, algorithm: 'SHA1' } as const;
/** One step either side for a clock that drifts (RFC 6238 §5.2 recommends at most one). */
const WINDOW = 1;

/** 160 random bits, the size RFC 4226 §4 recommends for HMAC-SHA-1. */
export const newAppSecret = () => crypto.getRandomValues(new Uint8Array(20));

const totp = (secret: Uint8Array, account = '', issuer = '') =>
  new TOTP({
    ...APP_CODE,
    issuer,
    label: account,
    secret: new Secret({ buffer: secret.slice().buffer }),
  });

/** What the app's QR code holds, and the secret in the letters apps ask for when typed. */
export function appCodeSetup(secret: Uint8Array, account: string, issuer: string) {
  const t = totp(secret, account, issuer);
  return { uri: t.toString(), typed: t.secret.base32.replace(/(.{4})/g, '$1 ').trim() };
}

/** The code the app shows at `nowMs` (tests, and nothing else). */
export const appCodeAt = (secret: Uint8Array, nowMs: number) =>
  totp(secret).generate({ timestamp: nowMs });

/**
 * The time step a typed code belongs to (within one step of now), or null. A caller that remembers
 * the last step taken refuses the same or an older one: a code works once (RFC 6238 §5.2).
 */
export function appCodeStep(secret: Uint8Array, code: string, nowMs: number): number | null {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secret).validate({ token, timestamp: nowMs, window: WINDOW });
  return delta === null ? null : Math.floor(nowMs / 1000 / APP_CODE.period) + delta;
}

const secretAad = (owner: string) => `kat:app-code-secret:v1|${owner}`;

export async function sealAppSecret(secret: Uint8Array, passphraseKek: CryptoKey, owner: string) {
  const { iv, ct } = await seal(passphraseKek, secret, secretAad(owner));
  return { iv: toBase64(iv), ct: toBase64(ct) };
}

/** Undefined when the key is not the one it was sealed under. */
export async function openAppSecret(
  sealed: { iv: string; ct: string },
  passphraseKek: CryptoKey,
  owner: string,
): Promise<Uint8Array | undefined> {
  try {
    return await open(
      passphraseKek,
      { iv: fromBase64(sealed.iv), ct: fromBase64(sealed.ct) },
      secretAad(owner),
    );
  } catch (e) {
    if (e instanceof TamperedError) return undefined;
    throw e;
  }
}
