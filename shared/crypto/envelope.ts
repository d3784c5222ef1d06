/**
 * AES-256-GCM envelopes (WebCrypto). Every envelope binds associated data naming what it is
 * (e.g. `kat:record:v1|note|<id>`), so a ciphertext copied onto another record, kind or clinic fails
 * to open instead of decrypting into the wrong place (Standard Notes protocol 004 binds uuid and
 * version the same way).
 */
import { type Bytes, concatBytes, utf8 } from '../util/bytes';

export const IV_BYTES = 12;

export class TamperedError extends Error {
  constructor(what = 'This data') {
    super(`${what} could not be decrypted: it was changed, damaged, or belongs to another key.`);
    this.name = 'TamperedError';
  }
}

export type Sealed = { iv: Bytes; ct: Bytes };

export async function generateDataKey(extractable = true): Promise<CryptoKey> {
  return (await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, extractable, [
    'encrypt',
    'decrypt',
  ])) as CryptoKey;
}

export async function importAesKey(raw: Uint8Array, extractable = false): Promise<CryptoKey> {
  if (raw.length !== 32) throw new Error('An AES-256 key is 32 bytes');
  return crypto.subtle.importKey('raw', raw as Bytes, { name: 'AES-GCM' }, extractable, [
    'encrypt',
    'decrypt',
  ]);
}

export async function exportAesKey(key: CryptoKey): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.exportKey('raw', key));
}

export async function seal(key: CryptoKey, plaintext: Uint8Array, aad: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES)) as Bytes;
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: utf8(aad), tagLength: 128 },
    key,
    plaintext as Bytes,
  );
  return { iv, ct: new Uint8Array(ct) };
}

export async function open(
  key: CryptoKey,
  sealed: Sealed,
  aad: string,
  what?: string,
): Promise<Bytes> {
  try {
    const pt = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: sealed.iv, additionalData: utf8(aad), tagLength: 128 },
      key,
      sealed.ct,
    );
    return new Uint8Array(pt);
  } catch {
    throw new TamperedError(what);
  }
}

/** iv ‖ ciphertext, for formats that keep one blob. */
export function packSealed({ iv, ct }: Sealed): Bytes {
  return concatBytes(iv, ct);
}

export function unpackSealed(blob: Uint8Array): Sealed {
  if (blob.length < IV_BYTES + 16) throw new TamperedError('This data');
  return { iv: blob.slice(0, IV_BYTES), ct: blob.slice(IV_BYTES) };
}
