import { describe, expect, it } from 'vitest';
import { TamperedError, generateDataKey, open, seal } from './envelope';
import { canonicalJson, contentHash } from './hash';
import {
  WeakKdfError,
  WrongPassphraseError,
  deriveKek,
  newKdfParams,
  unwrapDataKey,
  wrapDataKey,
} from './passphrase';
import { fromUtf8, utf8 } from '../util/bytes';

describe('AES-GCM envelopes', () => {
  it('round-trips a record body', async () => {
    const key = await generateDataKey();
    const sealed = await seal(
      key,
      utf8('Tearful, reports warmth in chest'),
      'kat:record:v1|note|n1',
    );
    expect(fromUtf8(await open(key, sealed, 'kat:record:v1|note|n1'))).toBe(
      'Tearful, reports warmth in chest',
    );
  });

  it('detects a flipped bit in the ciphertext', async () => {
    const key = await generateDataKey();
    const sealed = await seal(key, utf8('BP 128/82'), 'aad');
    sealed.ct[3] = sealed.ct[3]! ^ 0x01;
    await expect(open(key, sealed, 'aad')).rejects.toBeInstanceOf(TamperedError);
  });

  it('refuses a ciphertext moved onto another record (associated data differs)', async () => {
    const key = await generateDataKey();
    const sealed = await seal(key, utf8('x'), 'kat:record:v1|note|n1');
    await expect(open(key, sealed, 'kat:record:v1|note|n2')).rejects.toBeInstanceOf(TamperedError);
  });

  it('refuses the wrong key', async () => {
    const sealed = await seal(await generateDataKey(), utf8('x'), 'aad');
    await expect(open(await generateDataKey(), sealed, 'aad')).rejects.toBeInstanceOf(
      TamperedError,
    );
  });
});

describe('passphrase-wrapped data key', () => {
  it('unwraps with the right passphrase and refuses a wrong one', async () => {
    const params = newKdfParams();
    const dataKey = await generateDataKey();
    const wrapped = await wrapDataKey(
      dataKey,
      await deriveKek('correct horse battery', params),
      'u1',
      1,
    );
    const back = await unwrapDataKey(
      wrapped,
      await deriveKek('correct horse battery', params),
      'u1',
    );
    const sealed = await seal(back, utf8('hello'), 'a');
    expect(fromUtf8(await open(dataKey, sealed, 'a'))).toBe('hello');
    await expect(
      unwrapDataKey(wrapped, await deriveKek('correct horse batterz', params), 'u1'),
    ).rejects.toBeInstanceOf(WrongPassphraseError);
  });

  it('refuses weak derivation parameters handed to it', async () => {
    const weak = { ...newKdfParams(), memoryKiB: 1024, iterations: 1 };
    await expect(deriveKek('pw', weak)).rejects.toBeInstanceOf(WeakKdfError);
  });

  it('refuses parameters that would stall sign-in, before running them (issue 13)', async () => {
    // 256 MiB × 40 passes: about 13× the default's work. Handed over by a server or a file, such
    // settings (or 10⁹ passes) must be refused, not run.
    for (const absurd of [
      { ...newKdfParams(), memoryKiB: 262_144, iterations: 40 },
      { ...newKdfParams(), iterations: 1_000_000_000 },
      { ...newKdfParams(), memoryKiB: 4_194_304 },
      { ...newKdfParams(), parallelism: 64 },
    ])
      await expect(deriveKek('pw', absurd)).rejects.toThrow(/far longer than KAT Chart allows/);
  });
});

describe('content hash', () => {
  it('does not depend on key order', async () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(await contentHash({ a: 1, b: 2 })).toBe(await contentHash({ b: 2, a: 1 }));
    expect(await contentHash({ a: 1 })).not.toBe(await contentHash({ a: 2 }));
  });
});
