/**
 * Device signing keys: every bundle a device uploads is signed, so a pulled bundle can be traced to
 * the enrolled device that wrote it and a stolen server token alone cannot inject bundles.
 * ECDSA P-256 with SHA-256 through WebCrypto: it works identically in Node 20 and every Chromium
 * (Ed25519 reached WebCrypto later and unevenly). Signatures are IEEE P1363 (r ‖ s, 64 bytes).
 */
import { type Bytes, fromBase64, toBase64 } from '../util/bytes';
import { open, seal } from '../crypto/envelope';
import { sha256Hex } from '../crypto/hash';

const ECDSA_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
export const SIGNATURE_BYTES = 64;

export class DeviceKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeviceKeyError';
  }
}

/**
 * A new signing key pair. Keep the private key non-extractable where the platform can store a
 * CryptoKey (IndexedDB); pass `extractable: true` only to wrap it for storage elsewhere.
 */
export async function generateDeviceKeyPair(extractable = false): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(ECDSA_KEY, extractable, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
}

/** Public key as SPKI DER in base64: what the server stores and other devices verify with. */
export async function exportPublicKey(publicKey: CryptoKey): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.exportKey('spki', publicKey)));
}

export async function importPublicKey(spkiBase64: string): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('spki', fromBase64(spkiBase64), ECDSA_KEY, true, [
      'verify',
    ]);
  } catch {
    throw new DeviceKeyError(
      'A device public key could not be read. Enroll the device again to register a fresh key.',
    );
  }
}

/** PKCS#8 DER of an extractable private key. Never store it unwrapped. */
export async function exportPrivateKey(privateKey: CryptoKey): Promise<Bytes> {
  if (!privateKey.extractable)
    throw new DeviceKeyError('This device key is locked to this computer and cannot be exported.');
  return new Uint8Array(await crypto.subtle.exportKey('pkcs8', privateKey));
}

export async function importPrivateKey(pkcs8: Uint8Array, extractable = false): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('pkcs8', pkcs8 as Bytes, ECDSA_KEY, extractable, ['sign']);
  } catch {
    throw new DeviceKeyError(
      "This device's signing key is damaged. Enroll the device again with a new code.",
    );
  }
}

export type WrappedSigningKey = { iv: string; ct: string };

/** AAD names the device, so a wrapped key copied to another device's slot does not open. */
const wrapAad = (deviceId: string) => `kat:device-key:v1|${deviceId}`;

/** The private key sealed under an AES-GCM key (the clinic data key, or a local device key). */
export async function wrapSigningKey(
  privateKey: CryptoKey,
  wrappingKey: CryptoKey,
  deviceId: string,
): Promise<WrappedSigningKey> {
  const sealed = await seal(wrappingKey, await exportPrivateKey(privateKey), wrapAad(deviceId));
  return { iv: toBase64(sealed.iv), ct: toBase64(sealed.ct) };
}

export async function unwrapSigningKey(
  wrapped: WrappedSigningKey,
  wrappingKey: CryptoKey,
  deviceId: string,
): Promise<CryptoKey> {
  try {
    const pkcs8 = await open(
      wrappingKey,
      { iv: fromBase64(wrapped.iv), ct: fromBase64(wrapped.ct) },
      wrapAad(deviceId),
    );
    return await importPrivateKey(pkcs8);
  } catch {
    // Bad base64, a failed tag and an unreadable key all mean the same thing to the user.
    throw new DeviceKeyError(
      "This device's stored signing key does not open with this key. Enroll the device again.",
    );
  }
}

export async function signBytes(privateKey: CryptoKey, data: Uint8Array): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.sign(ECDSA_SIGN, privateKey, data as Bytes));
}

/** False for a wrong, malformed or wrong-length signature; never throws for bad input. */
export async function verifyBytes(
  publicKey: CryptoKey,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  if (signature.length !== SIGNATURE_BYTES) return false;
  try {
    return await crypto.subtle.verify(ECDSA_SIGN, publicKey, signature as Bytes, data as Bytes);
  } catch {
    return false;
  }
}

/**
 * Short fingerprint of a public key for people to compare on two screens when enrolling
 * (`3f9a 12c0 …`, the first 16 bytes of SHA-256 of the SPKI).
 */
export async function publicKeyFingerprint(spkiBase64: string): Promise<string> {
  const hex = await sha256Hex(fromBase64(spkiBase64));
  return (hex.slice(0, 32).match(/.{4}/g) ?? []).join(' ');
}
