/**
 * Key commitments: each clinic key version announced in the chain carries HMAC-SHA-256 of a fixed
 * label under the key itself. A computer that opens a grant compares: a key someone else made
 * (the server, a stolen token) has another commitment, so it is never used, whatever version
 * number it claims. HMAC under a random 256-bit key reveals nothing about the key.
 */
import { exportAesKey } from '../crypto/envelope';
import { toBase64, utf8 } from '../util/bytes';

export async function keyCommitment(
  clinicKey: CryptoKey,
  clinicId: string,
  version: number,
): Promise<string> {
  const raw = await exportAesKey(clinicKey);
  const mac = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const tag = await crypto.subtle.sign(
    'HMAC',
    mac,
    utf8(`kat:key-commitment:v1|${clinicId}|${version}`),
  );
  return toBase64(new Uint8Array(tag));
}

/** True when `clinicKey` is the key the chain announced as `version`. */
export async function matchesCommitment(
  clinicKey: CryptoKey,
  clinicId: string,
  version: number,
  commitment: string | undefined,
): Promise<boolean> {
  if (!commitment) return false;
  try {
    return (await keyCommitment(clinicKey, clinicId, version)) === commitment;
  } catch {
    return false;
  }
}

/**
 * A member's own attestation of their identity keys, made at their sign-in in a clinic from
 * before the chain: HMAC-SHA-256 under a clinic key version they hold. The upgrading
 * administrator's computer adds a colleague to the chain only when this verifies under its own
 * copy of that version — the server holds no clinic key, so a row it made cannot carry one.
 */
export type KeysMac = { version: number; mac: string };

export async function memberKeysMac(
  clinicKey: CryptoKey,
  clinicId: string,
  version: number,
  userId: string,
  keys: { signingKey: string; agreementKey: string },
): Promise<KeysMac> {
  const raw = await exportAesKey(clinicKey);
  const hmac = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const label = `kat:member-keys:v1|${clinicId}|${version}|${userId}|${keys.signingKey}|${keys.agreementKey}`;
  return {
    version,
    mac: toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', hmac, utf8(label)))),
  };
}

/** True when `attested` is `userId`'s attestation of `keys` under `clinicKey`. Never throws. */
export async function memberKeysMacHolds(
  clinicKey: CryptoKey | undefined,
  clinicId: string,
  userId: string,
  keys: { signingKey: string; agreementKey: string },
  attested: KeysMac | undefined,
): Promise<boolean> {
  if (!clinicKey || !attested) return false;
  try {
    const made = await memberKeysMac(clinicKey, clinicId, attested.version, userId, keys);
    return made.mac === attested.mac;
  } catch {
    return false;
  }
}
