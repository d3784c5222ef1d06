/**
 * The bundle encrypt path against raw WebCrypto over the same bytes. encodeBundle compresses
 * (fflate, level 1) before it seals and signs; the goal is stated without compression, so the
 * deflate of the same payload, timed alone, is subtracted from encodeBundle's time.
 */
import { deflateSync } from 'fflate';
import type { AnyRecord } from '../../../shared/model';
import { encodeBundle } from '../../../shared/sync/bundle';
import { generateDeviceKeyPair } from '../../../shared/sync/device-keys';
import { utf8 } from '../../../shared/util/bytes';
import { uuidv7 } from '../../../shared/util/ids';
import { BENCH_CLINIC_ID } from '../data';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeIt(reps: number, fn: () => Promise<unknown> | unknown) {
  await fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return median(out);
}

/** MB/s of our encrypt path (encode minus deflate) and of raw AES-256-GCM, 500-record bundles. */
export async function encryptPath(records: AnyRecord[], dataKey: CryptoKey, reps = 7) {
  const group = records.slice(0, 500);
  const changes = group.map((record) => ({ changeId: uuidv7(), record, hlc: record.updatedAt }));
  const payload = utf8(JSON.stringify({ changes }));
  const { privateKey } = await generateDeviceKeyPair();
  const encode = await timeIt(reps, () =>
    encodeBundle({
      clinicId: BENCH_CLINIC_ID,
      deviceId: uuidv7(),
      keyVersion: 1,
      dataKey,
      signingKey: privateKey,
      changes,
    }),
  );
  const deflate = await timeIt(reps, () => deflateSync(payload, { level: 1 }));
  const serialize = await timeIt(reps, () => utf8(JSON.stringify({ changes })));
  const sign = await timeIt(reps, () =>
    crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, payload),
  );
  const raw = await timeIt(reps, () =>
    crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: crypto.getRandomValues(new Uint8Array(12)) },
      dataKey,
      payload,
    ),
  );
  const mb = payload.length / 1e6;
  return {
    payloadBytes: payload.length,
    encodeMs: encode,
    deflateMs: deflate,
    serializeMs: serialize,
    signMs: sign,
    rawMs: raw,
    oursMBs: mb / (Math.max(encode - deflate, 0.001) / 1000),
    rawMBs: mb / (raw / 1000),
  };
}
