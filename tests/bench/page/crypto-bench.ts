/**
 * The bundle encrypt path against raw WebCrypto AES-256-GCM over the same bytes (issue 8: "bundle
 * encrypt path (excluding compression)"). The encrypt path is what encodeBundle does once it has
 * the payload bytes, compression left out: build the clear header, then bundle.ts's own
 * `sealAndSign` (the step encodeBundle calls after deflate): canonicalize the header, seal the
 * bytes under it (AES-256-GCM, header as AAD), frame them and sign the frame (ECDSA P-256 over
 * SHA-256). The whole of encodeBundle is timed too, with its JSON serialization and deflate apart,
 * so the table shows where a bundle's time goes.
 */
import { deflateSync } from 'fflate';
import type { AnyRecord } from '../../../shared/model';
import { encodeBundle, sealAndSign } from '../../../shared/sync/bundle';
import { generateDeviceKeyPair } from '../../../shared/sync/device-keys';
import { BundleHeader, PROTOCOL_VERSION } from '../../../shared/sync/protocol';
import { utf8 } from '../../../shared/util/bytes';
import { uuidv7 } from '../../../shared/util/ids';
import { BENCH_CLINIC_ID } from '../data';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median ms per call over `reps` samples of `batch` calls each (timers here tick in 0.1 ms). */
async function timeIt(reps: number, fn: () => Promise<unknown> | unknown, batch = 5) {
  await fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    for (let j = 0; j < batch; j++) await fn();
    out.push((performance.now() - t0) / batch);
  }
  return median(out);
}

/**
 * Median ms per call of two functions measured in alternating batches, so that a slow spell of
 * the machine (WebCrypto's thread, the collector) falls on both alike instead of on one phase.
 */
async function timePair(
  reps: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  batch = 5,
): Promise<[number, number]> {
  await a();
  await b(); // warm-up
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < reps; i++) {
    for (const [fn, out] of [
      [a, as],
      [b, bs],
    ] as const) {
      const t0 = performance.now();
      for (let j = 0; j < batch; j++) await fn();
      out.push((performance.now() - t0) / batch);
    }
  }
  return [median(as), median(bs)];
}

/** MB/s of the bundle encrypt path and of raw AES-256-GCM over one 500-record payload. */
export async function encryptPath(records: AnyRecord[], dataKey: CryptoKey, reps = 21) {
  const group = records.slice(0, 500);
  const changes = group.map((record) => ({ changeId: uuidv7(), record, hlc: record.updatedAt }));
  const payload = utf8(JSON.stringify({ changes }));
  const { privateKey } = await generateDeviceKeyPair();
  const deviceId = uuidv7();
  const encryptPathOf = async (body: Uint8Array) => {
    const header = BundleHeader.parse({
      protocol: PROTOCOL_VERSION,
      clinicId: BENCH_CLINIC_ID,
      deviceId,
      bundleId: uuidv7(),
      keyVersion: 1,
      createdAt: new Date().toISOString(),
      changeCount: changes.length,
      byteLength: body.length,
    });
    return sealAndSign(header, body, dataKey, privateKey);
  };
  const [path, raw] = await timePair(
    reps,
    () => encryptPathOf(payload),
    () =>
      crypto.subtle.encrypt(
        { name: 'AES-GCM', iv: crypto.getRandomValues(new Uint8Array(12)) },
        dataKey,
        payload,
      ),
  );
  const sign = await timeIt(reps, () =>
    crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, payload),
  );
  const encode = await timeIt(reps, () =>
    encodeBundle({
      clinicId: BENCH_CLINIC_ID,
      deviceId,
      keyVersion: 1,
      dataKey,
      signingKey: privateKey,
      changes,
    }),
  );
  const serialize = await timeIt(reps, () => utf8(JSON.stringify({ changes })));
  const deflate = await timeIt(reps, () => deflateSync(payload, { level: 1 }));
  const mb = payload.length / 1e6;
  return {
    payloadBytes: payload.length,
    pathMs: path,
    rawMs: raw,
    signMs: sign,
    encodeMs: encode,
    serializeMs: serialize,
    deflateMs: deflate,
    oursMBs: mb / (path / 1000),
    rawMBs: mb / (raw / 1000),
  };
}
