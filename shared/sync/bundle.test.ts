import fc from 'fast-check';
import { deflateSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDataKey, seal } from '../crypto/envelope';
import { canonicalJson } from '../crypto/hash';
import { utf8 } from '../util/bytes';
import { uuidv7 } from '../util/ids';
import {
  type BundleChange,
  type BundleRejectReason,
  BundleRejectedError,
  decodeBundle,
  encodeBundle,
  packBundle,
  signedPrefix,
  splitChanges,
  unpackBundle,
} from './bundle';
import { generateDeviceKeyPair, signBytes } from './device-keys';
import type { BundleHeader } from './protocol';

const CLINIC = uuidv7();
const OTHER_CLINIC = uuidv7();
const DEVICE = uuidv7();

let dataKey: CryptoKey;
let signer: CryptoKeyPair;

beforeAll(async () => {
  dataKey = await generateDataKey();
  signer = await generateDeviceKeyPair();
});

function change(text: string, i = 0): BundleChange {
  return {
    changeId: uuidv7(),
    hlc: `${String(1_780_000_000_000 + i).padStart(15, '0')}:00000:dev1`,
    record: { kind: 'note', id: uuidv7(), body: text },
  };
}

const context = (over: Partial<Parameters<typeof decodeBundle>[1]> = {}) => ({
  clinicId: CLINIC,
  dataKeyFor: (v: number) => (v === 1 ? dataKey : undefined),
  publicKeyFor: (d: string) => (d === DEVICE ? signer.publicKey : undefined),
  ...over,
});

const encode = (changes: BundleChange[], keyVersion = 1) =>
  encodeBundle({
    clinicId: CLINIC,
    deviceId: DEVICE,
    keyVersion,
    dataKey,
    signingKey: signer.privateKey,
    changes,
  });

async function rejection(p: Promise<unknown>): Promise<BundleRejectReason> {
  try {
    await p;
  } catch (e) {
    if (e instanceof BundleRejectedError) return e.reason;
    throw e;
  }
  throw new Error('the bundle was accepted');
}

/** Builds a bundle from raw parts, so a test can lie in the header or the payload. */
async function craft(header: BundleHeader, payload: Uint8Array, key = dataKey) {
  const headerText = canonicalJson(header);
  const sealed = await seal(key, deflateSync(payload, { level: 1 }), headerText);
  const signed = signedPrefix(utf8(headerText), sealed.iv, sealed.ct);
  return packBundle(signed, await signBytes(signer.privateKey, signed));
}

/** Re-signs tampered bytes, as a device that holds a signing key but not the data key could. */
async function resign(bytes: Uint8Array) {
  const parts = unpackBundle(bytes);
  return packBundle(parts.signed, await signBytes(signer.privateKey, parts.signed));
}

describe('bundle round trip', () => {
  it('decodes exactly the changes that were encoded, with the header the server sees', async () => {
    const changes = [change('14:05 tearful, reports warmth'), change('14:20 calm', 1)];
    const { header, bytes } = await encode(changes);
    expect(header).toMatchObject({ protocol: 1, clinicId: CLINIC, deviceId: DEVICE });
    expect(header.changeCount).toBe(2);
    const decoded = await decodeBundle(bytes, context());
    expect(decoded.changes).toEqual(changes);
    expect(decoded.header).toEqual(header);
    // The clinical text is nowhere in the bytes the server stores.
    expect(Buffer.from(bytes).includes('tearful')).toBe(false);
  });

  it('compresses repetitive charting text', async () => {
    const changes = Array.from({ length: 200 }, (_, i) => change('Vitals stable. '.repeat(20), i));
    const { header, bytes } = await encode(changes);
    expect(bytes.length).toBeLessThan(header.byteLength / 3);
  });
});

describe('bundle rejection', () => {
  it('a flipped ciphertext bit fails the signature; re-signed, it fails the tag', async () => {
    const { bytes } = await encode([change('dose 35 mg')]);
    const parts = unpackBundle(bytes);
    const at = parts.signed.length - 5; // inside the ciphertext
    const flipped = bytes.slice();
    flipped[at]! ^= 0x01;
    expect(await rejection(decodeBundle(flipped, context()))).toBe('bad-signature');
    expect(await rejection(decodeBundle(await resign(flipped), context()))).toBe('bad-tag');
  });

  it('binds the header: a rewritten bundle id fails the tag even when re-signed', async () => {
    const header: BundleHeader = {
      protocol: 1,
      clinicId: CLINIC,
      deviceId: DEVICE,
      bundleId: uuidv7(),
      keyVersion: 1,
      createdAt: new Date().toISOString(),
      changeCount: 1,
      byteLength: 0,
    };
    const payload = utf8(JSON.stringify({ changes: [change('x')] }));
    header.byteLength = payload.length;
    const good = await craft(header, payload);
    const parts = unpackBundle(good);
    const swapped = canonicalJson({ ...header, bundleId: uuidv7() });
    const signed = signedPrefix(utf8(swapped), parts.iv, parts.ciphertext);
    const forged = packBundle(signed, await signBytes(signer.privateKey, signed));
    expect(await rejection(decodeBundle(forged, context()))).toBe('bad-tag');
  });

  it('a bundle sealed under another key with the same version number fails the tag', async () => {
    const { bytes } = await encodeBundle({
      clinicId: CLINIC,
      deviceId: DEVICE,
      keyVersion: 1,
      dataKey: await generateDataKey(),
      signingKey: signer.privateKey,
      changes: [change('x')],
    });
    expect(await rejection(decodeBundle(bytes, context()))).toBe('bad-tag');
  });

  it('a key version this device lacks is reported as such, and keeps the header', async () => {
    const { bytes, header } = await encode([change('x')], 2);
    const err = await decodeBundle(bytes, context()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BundleRejectedError);
    expect((err as BundleRejectedError).reason).toBe('unknown-key-version');
    expect((err as BundleRejectedError).header?.bundleId).toBe(header.bundleId);
    expect((err as Error).message).toMatch(/clinic key this device does not have/);
  });

  it('refuses a signature by another device than the header names', async () => {
    const { bytes } = await encode([change('x')]);
    const impostor = await generateDeviceKeyPair();
    const ctx = context({ publicKeyFor: () => impostor.publicKey });
    expect(await rejection(decodeBundle(bytes, ctx))).toBe('bad-signature');
  });

  it('refuses bundles of another clinic and from unknown devices', async () => {
    const { bytes } = await encode([change('x')]);
    expect(await rejection(decodeBundle(bytes, context({ clinicId: OTHER_CLINIC })))).toBe(
      'wrong-clinic',
    );
    expect(await rejection(decodeBundle(bytes, context({ publicKeyFor: () => undefined })))).toBe(
      'unknown-device',
    );
  });

  it('every truncation is malformed, never another error', async () => {
    const { bytes } = await encode([change('short')]);
    for (let n = 0; n < bytes.length; n++) {
      expect(await rejection(decodeBundle(bytes.subarray(0, n), context()))).toBe('malformed');
    }
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(await rejection(decodeBundle(longer, context()))).toBe('malformed');
  });

  it('a header that understates the payload is refused without inflating past it', async () => {
    const payload = utf8(JSON.stringify({ changes: [change('A'.repeat(10_000))] }));
    const header: BundleHeader = {
      protocol: 1,
      clinicId: CLINIC,
      deviceId: DEVICE,
      bundleId: uuidv7(),
      keyVersion: 1,
      createdAt: new Date().toISOString(),
      changeCount: 1,
      byteLength: 100,
    };
    expect(await rejection(decodeBundle(await craft(header, payload), context()))).toBe(
      'malformed',
    );
    const miscounted = { ...header, byteLength: payload.length, changeCount: 3 };
    expect(await rejection(decodeBundle(await craft(miscounted, payload), context()))).toBe(
      'malformed',
    );
  });

  it('garbage input is always a BundleRejectedError (property)', async () => {
    const { bytes } = await encode([change('property')]);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (junk) => {
        const reason = await rejection(decodeBundle(junk, context()));
        expect(reason).toBe('malformed');
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, xor) => {
          const mutated = bytes.slice();
          mutated[at]! ^= xor;
          await rejection(decodeBundle(mutated, context()));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('splitting an outbox into bundles', () => {
  it('bounds each bundle by change count and keeps order', () => {
    const changes = Array.from({ length: 1_234 }, (_, i) => change(`line ${i}`, i));
    const groups = splitChanges(changes, { maxChanges: 500 });
    expect(groups.map((g) => g.length)).toEqual([500, 500, 234]);
    expect(groups.flat()).toEqual(changes);
  });

  it('bounds each bundle by payload bytes; an oversized change travels alone', async () => {
    const changes = [
      change('a'.repeat(3_000)),
      change('b'.repeat(3_000)),
      change('c'.repeat(9_000)),
      change('d'.repeat(100)),
    ];
    const groups = splitChanges(changes, { maxBytes: 7_000 });
    expect(groups.map((g) => g.length)).toEqual([2, 1, 1]);
    for (const g of groups) {
      const { header } = await encode(g);
      expect(header.byteLength <= 7_000 || g.length === 1).toBe(true);
    }
  });

  it('refuses a single record beyond the hard limit in plain words', () => {
    const huge = change('x'.repeat(17 * 1024 * 1024));
    expect(() => splitChanges([huge])).toThrow(/too large to sync/);
  });
});
