/**
 * A signed record's signature, bound to its signer's identity key (THREATS.md principle 4): the
 * signer's computer signs, with the member's identity signing key (ECDSA P-256, the key the
 * membership chain names for them), the record's identity, who signed, when, the content hash,
 * and the chain length it held. Another computer verifies it against the key the chain gave the
 * signer at that position — a name in `signature.by` alone proves nothing.
 *
 * Bytes signed: UTF-8 of `"kat:record-sig:v1\n"` + canonical JSON of
 * `{ at, by, chain, clinicId, contentHash, id, kind }`. `sig` is IEEE P1363 (r ‖ s), base64.
 *
 * Records signed before this existed carry no `sig` (content hash only): see
 * `HASH_ONLY_BEFORE` and renderer/trust/incoming.ts for how they are taken, and reported.
 */
import { canonicalJson } from '../crypto/hash';
import type { RecordMeta, Signature } from '../model/common';
import { importPublicKey, signBytes, verifyBytes } from '../sync/device-keys';
import { fromBase64, toBase64, utf8 } from '../util/bytes';

/**
 * Signatures dated before this carry only a content hash (KAT Chart before issue 13 point 4).
 * Later ones without a key signature are refused.
 */
export const HASH_ONLY_BEFORE = '2026-12-06T00:00:00.000Z';

type Signed = Pick<RecordMeta, 'id' | 'kind' | 'clinicId'> & {
  signature?: Omit<Signature, 'sig'> & { sig?: string };
};

function signatureBytes(record: Signed): Uint8Array {
  const s = record.signature!;
  const { id, kind, clinicId } = record;
  const fields = { id, kind, clinicId, by: s.by, at: s.at, contentHash: s.contentHash };
  return utf8(`kat:record-sig:v1\n${canonicalJson({ ...fields, chain: s.chain ?? null })}`);
}

/** The base64 signature of `record.signature` (without `sig`) by `signingKey`. */
export async function signRecordSignature(record: Signed, signingKey: CryptoKey): Promise<string> {
  return toBase64(await signBytes(signingKey, signatureBytes(record)));
}

/** True when `record.signature.sig` was made by the holder of `signingKeySpki`. Never throws. */
export async function recordSignatureHolds(record: Signed, signingKeySpki: string) {
  const sig = record.signature?.sig;
  if (!sig) return false;
  try {
    return await verifyBytes(
      await importPublicKey(signingKeySpki),
      fromBase64(sig),
      signatureBytes(record),
    );
  } catch {
    return false;
  }
}
