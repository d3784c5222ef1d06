/**
 * The clinic keyring: numbered clinic key versions, each a random AES-256 key, and how a version
 * reaches a person without anyone knowing their passphrase. Every key holder (a user, or the
 * clinic's recovery key) has an ECDH P-256 identity: the public half is shared, the private half is
 * sealed under the holder's own secret (passphrase-derived key, or recovery-key-derived key). An
 * administrator hands a version to a holder by sealing it to the holder's public key (a "grant":
 * ephemeral ECDH → HKDF-SHA-256 → AES-256-GCM). So a rotation after a colleague leaves never wraps
 * the new key under the old one they knew (Bitwarden's organisation keys work the same way).
 * See README.md beside this file for the whole hierarchy.
 */
import { z } from 'zod';
import { type Bytes, concatBytes, fromBase64, toBase64, utf8 } from '../util/bytes';
import { exportAesKey, importAesKey, open, seal } from './envelope';

export const KEY_REASONS = ['clinic-created', 'user-removed', 'device-revoked', 'manual'] as const;
export const KeyReason = z.enum(KEY_REASONS);
export type KeyReason = z.infer<typeof KeyReason>;

/** What a version is and why it exists. Bound into each grant's associated data. */
export const KeyVersionInfo = z.object({
  version: z.number().int().positive(),
  createdAt: z.string(),
  reason: KeyReason,
});
export type KeyVersionInfo = z.infer<typeof KeyVersionInfo>;

/** A holder's private ECDH key, sealed under their own secret. */
export const SealedIdentity = z.object({
  publicKey: z.string(),
  iv: z.string(),
  ct: z.string(),
  /**
   * Added with the membership chain: the holder's ECDSA P-256 signing key (SPKI public half, and
   * the private half sealed under the same secret). It signs chain statements, their own keyring
   * row and the records they write; the chain names it (shared/trust/README.md).
   */
  signing: z.object({ publicKey: z.string(), iv: z.string(), ct: z.string() }).optional(),
  /** Added later: which clinic member vouched for this identity (see endorseIdentity). */
  endorsement: z.lazy(() => Endorsement).optional(),
});
export type SealedIdentity = z.infer<typeof SealedIdentity>;

/**
 * One clinic key version sealed to one holder's public key. `to` (added with the chain) names that
 * public key, so a computer can tell which versions a holder's current identity lacks.
 */
export const Grant = KeyVersionInfo.extend({
  epk: z.string(),
  iv: z.string(),
  ct: z.string(),
  to: z.string().optional(),
});
export type Grant = z.infer<typeof Grant>;

export class KeyGrantError extends Error {
  constructor() {
    super('A clinic key handed to this user could not be opened: it was changed or is not theirs.');
    this.name = 'KeyGrantError';
  }
}

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** The open identity: ECDH (receives grants) and, since the chain, ECDSA (signs). */
export type Identity = {
  publicKey: CryptoKey;
  privateKey: CryptoKey;
  signing?: { publicKey: string; privateKey: CryptoKey };
};

async function generateAgreementPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(ECDH, true, ['deriveBits'])) as CryptoKeyPair;
}

/** A new identity with both key pairs. */
export async function generateIdentity(): Promise<Identity> {
  const agreement = await generateAgreementPair();
  return { ...agreement, signing: await generateSigningPair() };
}

async function generateSigningPair() {
  const pair = (await crypto.subtle.generateKey(ECDSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  return { publicKey: toBase64(spki), privateKey: pair.privateKey };
}

/** Adds a signing key pair to an identity made before the chain (kept ECDH key, new signer). */
export async function withSigningKey(identity: Identity): Promise<Identity> {
  return identity.signing ? identity : { ...identity, signing: await generateSigningPair() };
}

/** The public keys the membership chain names for a holder, when it has both. */
export function memberKeysOf(
  sealed: SealedIdentity | undefined,
): { signingKey: string; agreementKey: string } | undefined {
  if (!sealed?.signing) return undefined;
  return { signingKey: sealed.signing.publicKey, agreementKey: sealed.publicKey };
}

export async function exportIdentityPublic(key: CryptoKey): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.exportKey('raw', key)));
}

export async function importIdentityPublic(b64: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', fromBase64(b64), ECDH, true, []);
}

const identityAad = (owner: string, publicKey: string) => `kat:identity:v1|${owner}|${publicKey}`;
const signingAad = (owner: string, publicKey: string) =>
  `kat:identity-signing:v1|${owner}|${publicKey}`;

/** Seal an identity's private keys under the holder's own key-encryption key. */
export async function sealIdentity(
  identity: Identity,
  kek: CryptoKey,
  owner: string,
): Promise<SealedIdentity> {
  const publicKey = await exportIdentityPublic(identity.publicKey);
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', identity.privateKey));
  const { iv, ct } = await seal(kek, pkcs8, identityAad(owner, publicKey));
  const sealed: SealedIdentity = { publicKey, iv: toBase64(iv), ct: toBase64(ct) };
  if (identity.signing) {
    const spki = identity.signing.publicKey;
    const raw = new Uint8Array(await crypto.subtle.exportKey('pkcs8', identity.signing.privateKey));
    const s = await seal(kek, raw, signingAad(owner, spki));
    sealed.signing = { publicKey: spki, iv: toBase64(s.iv), ct: toBase64(s.ct) };
  }
  return sealed;
}

/** Throws TamperedError when the key is wrong (wrong passphrase or recovery key). */
export async function openIdentity(
  sealed: SealedIdentity,
  kek: CryptoKey,
  owner: string,
): Promise<Identity> {
  const pkcs8 = await open(
    kek,
    { iv: fromBase64(sealed.iv), ct: fromBase64(sealed.ct) },
    identityAad(owner, sealed.publicKey),
  );
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, ECDH, true, ['deriveBits']);
  const identity: Identity = {
    privateKey,
    publicKey: await importIdentityPublic(sealed.publicKey),
  };
  if (sealed.signing) {
    const spki = sealed.signing.publicKey;
    const raw = await open(
      kek,
      { iv: fromBase64(sealed.signing.iv), ct: fromBase64(sealed.signing.ct) },
      signingAad(owner, spki),
    );
    const key = await crypto.subtle.importKey('pkcs8', raw, ECDSA, true, ['sign']);
    identity.signing = { publicKey: spki, privateKey: key };
  }
  return identity;
}

const grantInfo = (owner: string, v: KeyVersionInfo) =>
  `kat:grant:v1|${owner}|${v.version}|${v.createdAt}|${v.reason}`;

async function grantKek(privateKey: CryptoKey, publicKey: CryptoKey, salt: Bytes, info: string) {
  const shared = await crypto.subtle.deriveBits(
    { name: 'ECDH', public: publicKey },
    privateKey,
    256,
  );
  const hkdf = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt, info: utf8(info) },
    hkdf,
    256,
  );
  return importAesKey(new Uint8Array(bits), false);
}

/** Seal clinic key `info.version` to a holder's public key; only their private key opens it. */
export async function grantKey(
  clinicKey: CryptoKey,
  info: KeyVersionInfo,
  recipientPublicKey: string,
  owner: string,
): Promise<Grant> {
  const recipient = await importIdentityPublic(recipientPublicKey);
  const eph = await generateAgreementPair();
  const epk = await exportIdentityPublic(eph.publicKey);
  const salt = concatBytes(fromBase64(epk), fromBase64(recipientPublicKey));
  const kek = await grantKek(eph.privateKey, recipient, salt, grantInfo(owner, info));
  const { iv, ct } = await seal(kek, await exportAesKey(clinicKey), grantInfo(owner, info));
  return {
    ...KeyVersionInfo.parse(info),
    epk,
    iv: toBase64(iv),
    ct: toBase64(ct),
    to: recipientPublicKey,
  };
}

export async function openGrant(grant: Grant, identity: Identity, owner: string) {
  const ownPublic = await exportIdentityPublic(identity.publicKey);
  const info = grantInfo(owner, grant);
  let raw: Bytes;
  try {
    const salt = concatBytes(fromBase64(grant.epk), fromBase64(ownPublic));
    const kek = await grantKek(
      identity.privateKey,
      await importIdentityPublic(grant.epk),
      salt,
      info,
    );
    raw = await open(kek, { iv: fromBase64(grant.iv), ct: fromBase64(grant.ct) }, info);
  } catch {
    // A bad tag, or an ephemeral key that is not a point on the curve: either way not theirs.
    throw new KeyGrantError();
  }
  return importAesKey(raw, true);
}

/** The clinic key versions a signed-in person holds. Never stored: rebuilt at each sign-in. */
export class ClinicKeyring {
  private readonly keys = new Map<number, { key: CryptoKey; info: KeyVersionInfo }>();

  private readonly newerListeners = new Set<(info: KeyVersionInfo) => void>();

  add(key: CryptoKey, info: KeyVersionInfo) {
    if (this.keys.has(info.version)) return;
    const newer = info.version > this.activeVersion;
    this.keys.set(info.version, { key, info });
    if (newer) for (const l of this.newerListeners) l(info);
  }

  /**
   * Hears of every version newer than all held, as it is added (a rotation made here, a grant
   * opened from another computer): what is sealed from then on, at rest too, moves to it.
   */
  onNewerVersion(listener: (info: KeyVersionInfo) => void): () => void {
    this.newerListeners.add(listener);
    return () => this.newerListeners.delete(listener);
  }

  has(version: number) {
    return this.keys.has(version);
  }

  keyFor(version: number): CryptoKey | undefined {
    return this.keys.get(version)?.key;
  }

  /** New bundles are sealed under the newest version; older ones stay readable. */
  get activeVersion(): number {
    return Math.max(0, ...this.keys.keys());
  }

  get activeKey(): CryptoKey {
    const k = this.keyFor(this.activeVersion);
    if (!k) throw new Error('The clinic keyring is empty.');
    return k;
  }

  /** Every version, newest first, with its status: the newest is active, the rest retired. */
  versions(): (KeyVersionInfo & { status: 'active' | 'retired' })[] {
    const active = this.activeVersion;
    return [...this.keys.values()]
      .map(
        ({ info }) =>
          ({ ...info, status: info.version === active ? 'active' : 'retired' }) as const,
      )
      .sort((a, b) => b.version - a.version);
  }

  entries() {
    return [...this.keys.values()].sort((a, b) => a.info.version - b.info.version);
  }
}

/**
 * A clinic member's word that `publicKey` is `owner`'s identity: a GCM tag over the pair under a
 * clinic key version. The server holds no clinic key, so it cannot slip in an identity of its own
 * for an administrator to grant keys to. (Someone who once held that version could; see README.)
 */
export const Endorsement = z.object({
  version: z.number().int().positive(),
  iv: z.string(),
  ct: z.string(),
});
export type Endorsement = z.infer<typeof Endorsement>;

const endorseAad = (owner: string, publicKey: string) => `kat:endorse:v1|${owner}|${publicKey}`;

export async function endorseIdentity(
  clinicKey: CryptoKey,
  version: number,
  owner: string,
  publicKey: string,
): Promise<Endorsement> {
  const { iv, ct } = await seal(clinicKey, new Uint8Array(0), endorseAad(owner, publicKey));
  return { version, iv: toBase64(iv), ct: toBase64(ct) };
}

/** True only when a version this keyring holds vouches for exactly this owner and key. */
export async function isEndorsed(
  endorsement: Endorsement | undefined,
  keyring: ClinicKeyring,
  owner: string,
  publicKey: string,
): Promise<boolean> {
  const key = endorsement && keyring.keyFor(endorsement.version);
  if (!endorsement || !key) return false;
  try {
    const iv = fromBase64(endorsement.iv);
    const ct = fromBase64(endorsement.ct);
    await open(key, { iv, ct }, endorseAad(owner, publicKey));
    return true;
  } catch {
    return false;
  }
}
