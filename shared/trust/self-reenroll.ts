/**
 * An administrator's computer that lost its sync credentials reconnects itself (issue 14; the
 * clinic's only administrator has nobody to make a code): the administrator, signed in there,
 * signs a request with their identity key — the key the membership chain names for them — and the
 * server accepts it only from a current administrator, fresh, once, for a computer the chain
 * enrolls for that administrator (server/routes/self-reenroll.ts). The computer then enrolls its
 * new key and revokes the old one in the chain itself (renderer/sync/reenroll.ts).
 */
import { canonicalJson } from '../crypto/hash';

/** How far the request's time may be from the server's, either way. */
export const SELF_REENROLL_WINDOW_MS = 5 * 60_000;

export type SelfReenrollFields = {
  clinicId: string;
  /** The administrator (chain member) who signs. */
  userId: string;
  /** The new device's public signing key (SPKI, base64): single use. */
  publicKey: string;
  /** The device id this computer had, enrolled in the chain for `userId`. */
  replaces: string;
  /** When it was signed (ISO instant). */
  at: string;
};

/** The bytes the identity key signs: tagged, so no other signature of that key can stand for it. */
export function selfReenrollBytes(f: SelfReenrollFields): Uint8Array {
  return new TextEncoder().encode(
    canonicalJson({
      purpose: 'kat-chart/self-reenroll/v1',
      clinicId: f.clinicId,
      userId: f.userId,
      publicKey: f.publicKey,
      replaces: f.replaces,
      at: f.at,
    }),
  );
}
