/**
 * Per-change author signatures (issue 13 deliverable 4: "the author's role at the time allows
 * that kind and action"). Every record change a computer pushes names the member who wrote that
 * version and carries their signature, made with their identity signing key (the key the
 * membership chain names for them), so a receiver checks the author's role — not the role of the
 * member the sending computer was confirmed for (a shared administrator's computer may carry
 * every kind; whoever is signed in there is not attested by the computer's key).
 *
 * What is signed, the smallest honest thing: the record's identity and the digest of its content
 * as carried. Bytes: UTF-8 of `"kat:change:v1\n"` + canonical JSON of
 * `{ by, chain, clinicId, digest, id, kind }`, where `digest` = SHA-256 (hex) of the canonical
 * JSON of the record (its clock `updatedAt`, status, signature and every field are in it) and
 * `chain` the chain length the author's computer held (their role and key are read there).
 * The per-field clocks and version vector travel beside the record unsigned: they order merges,
 * and are bounded by the record's own signed clock (incoming-checks.ts, clockCheck).
 *
 * Wire form in a bundle change: `author: { by, chain, sig }` (the receiver recomputes the digest
 * from the record it received). Kept on this computer with the digest, to tell whether the
 * version held still is the one signed.
 */
import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../crypto/hash';
import { importPublicKey, signBytes, verifyBytes } from '../sync/device-keys';
import { fromBase64, toBase64, utf8 } from '../util/bytes';
import { UUID_V7 } from '../util/ids';

export const ChangeAuthor = z.strictObject({
  by: z.string().regex(UUID_V7, 'Not an id'),
  chain: z.number().int().min(0).max(2_147_483_647),
  sig: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'Not a P-256 signature'),
});
export type ChangeAuthor = z.infer<typeof ChangeAuthor>;

/** As kept beside a version on this computer: what was signed, so it can be matched again. */
export const HeldAuthor = ChangeAuthor.extend({ digest: z.string().regex(/^[0-9a-f]{64}$/) });
export type HeldAuthor = z.infer<typeof HeldAuthor>;

type Identified = { id: string; kind: string; clinicId: string };

/** SHA-256 hex of the record's canonical JSON: what the author's signature covers. */
export const recordDigest = (record: unknown) => sha256Hex(canonicalJson(record));

function authorBytes(record: Identified, by: string, chain: number, digest: string) {
  const { id, kind, clinicId } = record;
  return utf8(`kat:change:v1\n${canonicalJson({ by, chain, clinicId, digest, id, kind })}`);
}

/** The author's signature over this version of `record`. */
export async function signChange(
  record: Identified,
  author: { userId: string; signingKey: CryptoKey; chain: number },
): Promise<HeldAuthor> {
  const digest = await recordDigest(record);
  const bytes = authorBytes(record, author.userId, author.chain, digest);
  const sig = toBase64(await signBytes(author.signingKey, bytes));
  return { by: author.userId, chain: author.chain, sig, digest };
}

/** The wire form (without the digest the receiver recomputes). */
export const wireAuthor = ({ by, chain, sig }: ChangeAuthor): ChangeAuthor => ({ by, chain, sig });

/**
 * True when `author.sig` was made by the holder of `signingKeySpki` over this very version of
 * `record` (as received: its raw JSON). `digest` when already computed. Never throws.
 */
export async function changeAuthorHolds(
  record: Identified,
  author: ChangeAuthor,
  signingKeySpki: string,
  digest?: string,
): Promise<boolean> {
  try {
    const d = digest ?? (await recordDigest(record));
    return await verifyBytes(
      await importPublicKey(signingKeySpki),
      fromBase64(author.sig),
      authorBytes(record, author.by, author.chain, d),
    );
  } catch {
    return false;
  }
}

/** A signature kept here still covers `record` as it is now (same digest). */
export async function heldAuthorCovers(record: unknown, held: HeldAuthor | undefined) {
  return !!held && held.digest === (await recordDigest(record));
}
