/**
 * A member's keyring row (KDF settings, passphrase wraps, sealed identity) is signed by that
 * member's own identity signing key, so only someone who could open their identity — they, with
 * their passphrase — can change it. Grants are not covered: an administrator adds them without
 * the member's key, and each grant proves itself by matching the key commitment in the chain.
 */
import { canonicalJson } from '../crypto/hash';
import type { SealedIdentity } from '../crypto/keyring';
import type { KdfParams, WrappedKey } from '../crypto/passphrase';
import type { SecondFactor } from '../crypto/second-factor';
import { importPublicKey, signBytes, verifyBytes } from '../sync/device-keys';
import { fromBase64, toBase64, utf8 } from '../util/bytes';

export type SignableRow = {
  userId: string;
  kdf: KdfParams;
  wrapped: WrappedKey[];
  identity?: SealedIdentity;
  changedAt?: string;
  /** Added with the second factor: covered only when present, so older rows' bytes are unchanged. */
  factor?: SecondFactor;
};

function rowBytes(row: SignableRow): Uint8Array {
  const identity = row.identity && {
    publicKey: row.identity.publicKey,
    iv: row.identity.iv,
    ct: row.identity.ct,
    signing: row.identity.signing,
  };
  const { userId, kdf, wrapped, changedAt, factor } = row;
  return utf8(
    `kat:keyring-row:v1\n${canonicalJson({ userId, kdf, wrapped, identity, changedAt, factor })}`,
  );
}

export async function signRow(row: SignableRow, signingKey: CryptoKey): Promise<string> {
  return toBase64(await signBytes(signingKey, rowBytes(row)));
}

/** True when `sig` is the row's signature by the holder of `signingKeySpki`. Never throws. */
export async function rowSignatureHolds(
  row: SignableRow,
  sig: string | undefined,
  signingKeySpki: string,
): Promise<boolean> {
  if (!sig) return false;
  try {
    return await verifyBytes(await importPublicKey(signingKeySpki), fromBase64(sig), rowBytes(row));
  } catch {
    return false;
  }
}
