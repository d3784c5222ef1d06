/**
 * Passphrase → key-encryption key, and the clinic data key wrapped under it.
 * Argon2id (RFC 9106) through hash-wasm; parameters travel with the wrapped key, and a client
 * refuses parameters weaker than the floor below even if a server or a file hands them over
 * (Standard Notes' lesson: never let the other side choose weak derivation).
 */
import { argon2id } from 'hash-wasm';
import { z } from 'zod';
import { type Bytes, fromBase64, toBase64, utf8 } from '../util/bytes';
import { TamperedError, exportAesKey, importAesKey, open, seal } from './envelope';

export const KdfParams = z.object({
  alg: z.literal('argon2id'),
  memoryKiB: z.number().int(),
  iterations: z.number().int(),
  parallelism: z.number().int(),
  salt: z.string().min(16),
});
export type KdfParams = z.infer<typeof KdfParams>;

/** OWASP's minimum for Argon2id is 19 MiB with t=2; we default well above it. */
export const KDF_FLOOR = { memoryKiB: 19_456, iterations: 2 } as const;
export const KDF_DEFAULT = { memoryKiB: 65_536, iterations: 3, parallelism: 1 } as const;
/**
 * The ceiling: parameters handed over from outside (a key blob, a backup file) can never make
 * sign-in hang or exhaust memory. 256 MiB × 8 passes is ~11× the default's work (a few seconds
 * on a slow laptop; measured figure in shared/crypto/SECURITY.md).
 */
export const KDF_CEILING = { memoryKiB: 262_144, iterations: 8, parallelism: 4 } as const;

export class WeakKdfError extends Error {
  constructor(
    message = 'The key settings offered are weaker than KAT Chart allows, so they were refused.',
  ) {
    super(message);
    this.name = 'WeakKdfError';
  }
}

export class WrongPassphraseError extends Error {
  constructor() {
    super('That passphrase is not correct.');
    this.name = 'WrongPassphraseError';
  }
}

export function newKdfParams(): KdfParams {
  return {
    alg: 'argon2id',
    ...KDF_DEFAULT,
    salt: toBase64(crypto.getRandomValues(new Uint8Array(16))),
  };
}

export function assertStrongKdf(params: KdfParams): void {
  if (params.memoryKiB < KDF_FLOOR.memoryKiB || params.iterations < KDF_FLOOR.iterations)
    throw new WeakKdfError();
  if (
    params.parallelism < 1 ||
    params.parallelism > KDF_CEILING.parallelism ||
    params.memoryKiB > KDF_CEILING.memoryKiB ||
    params.iterations > KDF_CEILING.iterations
  )
    throw new WeakKdfError(
      'The key settings offered would take far longer than KAT Chart allows, so they were ' +
        'refused. Nothing was changed.',
    );
}

export async function deriveKek(passphrase: string, params: KdfParams): Promise<CryptoKey> {
  return importAesKey(await derivePassphraseBits(passphrase, params), false);
}

/**
 * The raw 32 bytes behind deriveKek. Only for combining with a second factor's secret
 * (second-factor.ts): everything else takes the non-extractable key.
 */
export async function derivePassphraseBits(passphrase: string, params: KdfParams): Promise<Bytes> {
  assertStrongKdf(params);
  const raw = await argon2id({
    password: utf8(passphrase.normalize('NFC')),
    salt: fromBase64(params.salt),
    iterations: params.iterations,
    memorySize: params.memoryKiB,
    parallelism: params.parallelism,
    hashLength: 32,
    outputType: 'binary',
  });
  return raw as Bytes;
}

export const WrappedKey = z.object({
  keyVersion: z.number().int().positive(),
  iv: z.string(),
  ct: z.string(),
});
export type WrappedKey = z.infer<typeof WrappedKey>;

/** `owner` names who the wrap belongs to (a user id, `recovery`, `backup`); it is bound as AAD. */
function wrapAad(owner: string, keyVersion: number) {
  return `kat:key-wrap:v1|${owner}|${keyVersion}`;
}

export async function wrapDataKey(
  dataKey: CryptoKey,
  kek: CryptoKey,
  owner: string,
  keyVersion: number,
): Promise<WrappedKey> {
  const sealed = await seal(kek, await exportAesKey(dataKey), wrapAad(owner, keyVersion));
  return { keyVersion, iv: toBase64(sealed.iv), ct: toBase64(sealed.ct) };
}

export async function unwrapDataKey(
  wrapped: WrappedKey,
  kek: CryptoKey,
  owner: string,
): Promise<CryptoKey> {
  try {
    const raw = await open(
      kek,
      { iv: fromBase64(wrapped.iv), ct: fromBase64(wrapped.ct) },
      wrapAad(owner, wrapped.keyVersion),
    );
    return importAesKey(raw, true);
  } catch (e) {
    if (e instanceof TamperedError) throw new WrongPassphraseError();
    throw e;
  }
}
