/**
 * The worker codec gives exactly what the inline functions give: the same bundle round trip and
 * the same refusals (as BundleRejectedError with the same reason, so quarantine still works).
 * The "worker" here runs the real worker handler behind structuredClone, as postMessage would.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDataKey } from '../../shared/crypto/envelope';
import {
  type BundleRejectReason,
  BundleRejectedError,
  unpackBundle,
} from '../../shared/sync/bundle';
import { generateDeviceKeyPair } from '../../shared/sync/device-keys';
import { uuidv7 } from '../../shared/util/ids';
import { type BundleCodec, inlineCodec, workerCodec } from './bundle-codec';
import { handleCodecRequest } from './bundle-codec-handler';
import type { CodecRequest } from './bundle-codec-protocol';

const CLINIC = uuidv7();
const DEVICE = uuidv7();
let dataKey: CryptoKey;
let signer: CryptoKeyPair;

beforeAll(async () => {
  dataKey = await generateDataKey();
  signer = await generateDeviceKeyPair();
});

/** Just enough of a Worker: messages are cloned both ways and handled by the worker's code. */
function fakeWorker(opts: { crash?: boolean } = {}) {
  const listeners = new Map<string, ((e: unknown) => void)[]>();
  const fire = (type: string, e: unknown) => listeners.get(type)?.forEach((l) => l(e));
  return {
    addEventListener(type: string, l: (e: unknown) => void) {
      listeners.set(type, [...(listeners.get(type) ?? []), l]);
    },
    postMessage(message: CodecRequest) {
      const request = structuredClone(message);
      setTimeout(() => {
        if (opts.crash) return fire('error', { message: 'out of memory' });
        void handleCodecRequest(request).then(({ reply }) =>
          fire('message', { data: structuredClone(reply) }),
        );
      });
    },
  } as unknown as Worker;
}

const changes = [
  {
    changeId: uuidv7(),
    hlc: '001780000000000:00000:dev1',
    record: { kind: 'note', id: uuidv7(), sections: { subjective: 'Feels lighter after session' } },
  },
];

const encode = (codec: BundleCodec) =>
  codec.encode({
    clinicId: CLINIC,
    deviceId: DEVICE,
    keyVersion: 1,
    dataKey,
    signingKey: signer.privateKey,
    changes,
  });

const context = (over = {}) => ({
  clinicId: CLINIC,
  dataKeyFor: (v: number) => (v === 1 ? dataKey : undefined),
  publicKeyFor: (d: string) => (d === DEVICE ? signer.publicKey : undefined),
  ...over,
});

async function reason(p: Promise<unknown>): Promise<BundleRejectReason> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BundleRejectedError);
    return (e as BundleRejectedError).reason;
  }
  throw new Error('accepted');
}

describe('the bundle worker codec', () => {
  it('round-trips through the worker and opens what the inline codec built, and back', async () => {
    const worker = workerCodec(fakeWorker());
    const viaWorker = await encode(worker);
    const viaInline = await encode(inlineCodec);
    expect((await inlineCodec.decode(viaWorker.bytes, context())).changes).toEqual(changes);
    const opened = await worker.decode(viaInline.bytes, context());
    expect(opened.changes).toEqual(changes);
    expect(opened.header).toEqual(viaInline.header);
  });

  it('refuses what the inline codec refuses, with the same reason', async () => {
    const worker = workerCodec(fakeWorker());
    const { bytes } = await encode(inlineCodec);
    const flipped = bytes.slice();
    flipped[unpackBundle(bytes).signed.length - 5]! ^= 1;
    expect(await reason(worker.decode(flipped, context()))).toBe('bad-signature');
    expect(await reason(worker.decode(bytes, context({ publicKeyFor: () => undefined })))).toBe(
      'unknown-device',
    );
    expect(await reason(worker.decode(bytes, context({ dataKeyFor: () => undefined })))).toBe(
      'unknown-key-version',
    );
    expect(await reason(worker.decode(bytes, context({ clinicId: uuidv7() })))).toBe(
      'wrong-clinic',
    );
    expect(await reason(worker.decode(bytes.slice(0, 30), context()))).toBe('malformed');
    const otherKey = await generateDataKey();
    expect(await reason(worker.decode(bytes, context({ dataKeyFor: () => otherKey })))).toBe(
      'bad-tag',
    );
  });

  it('does the work on this thread when the worker dies, before or while it holds work', async () => {
    const worker = workerCodec(fakeWorker({ crash: true }));
    const encoded = await encode(worker);
    expect((await inlineCodec.decode(encoded.bytes, context())).changes).toEqual(changes);
    // After the failure, calls go straight to this thread.
    expect((await worker.decode(encoded.bytes, context())).changes).toEqual(changes);
    expect(await reason(worker.decode(encoded.bytes, context({ clinicId: uuidv7() })))).toBe(
      'wrong-clinic',
    );
  });
});
