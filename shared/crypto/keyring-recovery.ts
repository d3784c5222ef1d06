/**
 * The clinic recovery key: 160 random bits written as 32 Crockford base-32 characters plus a
 * 4-character check group, in groups of four (e.g. `7K2Q-…-M3XA`). Crockford's alphabet has no I,
 * L, O or U, and reading accepts the look-alikes (O→0, I/L→1) in any case, so a key read back from
 * paper types cleanly; the check group catches a typo before any key is tried, so "typo" and
 * "not this clinic's key" get different words. 160 bits is far beyond guessing, so the key is
 * stretched with HKDF rather than a slow password hash (RFC 5869; NIST SP 800-108 for
 * high-entropy inputs).
 */
import { type Bytes, utf8 } from '../util/bytes';
import { importAesKey } from './envelope';
import { sha256 } from './hash';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DATA_BYTES = 20;
const DATA_CHARS = 32;
const CHECK_CHARS = 4;

export class RecoveryKeyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecoveryKeyFormatError';
  }
}

function encode(bytes: Uint8Array, chars: number): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out.slice(0, chars);
}

function decode(text: string): Bytes {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of text) {
    value = (value << 5) | ALPHABET.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return new Uint8Array(out);
}

async function checkGroup(data: Uint8Array): Promise<string> {
  const digest = await sha256(concat(utf8('kat:recovery-check:v1|'), data));
  return encode(digest, CHECK_CHARS);
}

const concat = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

const group = (chars: string) => chars.match(/.{1,4}/g)!.join('-');

/** A new recovery key, as printed. */
export async function newRecoveryKey(): Promise<string> {
  const data = crypto.getRandomValues(new Uint8Array(DATA_BYTES));
  return group(encode(data, DATA_CHARS) + (await checkGroup(data)));
}

/**
 * Read a typed recovery key: spaces, dashes and case do not matter; O reads as 0, I and L as 1.
 * Throws RecoveryKeyFormatError in plain words for a wrong length, a character that is never on
 * the sheet, or a failed check group (a typo).
 */
export async function parseRecoveryKey(typed: string): Promise<Bytes> {
  const chars = typed
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  const bad = [...chars].find((c) => !ALPHABET.includes(c));
  if (bad)
    throw new RecoveryKeyFormatError(
      `“${bad}” does not appear on a recovery sheet. Check the key against the sheet.`,
    );
  const want = DATA_CHARS + CHECK_CHARS;
  if (chars.length !== want)
    throw new RecoveryKeyFormatError(
      `A recovery key has ${want} letters and digits; you typed ${chars.length}. Check the key against the sheet.`,
    );
  const data = decode(chars.slice(0, DATA_CHARS)).slice(0, DATA_BYTES);
  if ((await checkGroup(data)) !== chars.slice(DATA_CHARS))
    throw new RecoveryKeyFormatError(
      'That recovery key has a typo: its last group does not match the rest. Check each group against the sheet.',
    );
  return data;
}

/** The recovery key's key-encryption key, bound to the clinic. */
export async function recoveryKek(data: Uint8Array, clinicId: string): Promise<CryptoKey> {
  const ikm = await crypto.subtle.importKey('raw', data as Bytes, 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8('kat:recovery:v1'), info: utf8(clinicId) },
    ikm,
    256,
  );
  return importAesKey(new Uint8Array(bits), false);
}
