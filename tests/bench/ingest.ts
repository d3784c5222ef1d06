/**
 * Server ingest: autocannon posting distinct, validly signed one-record bundles (as an autosave
 * sends) to POST /v1/bundles of a running server. Bundles are encoded before the clock starts;
 * every request carries a new bundle id, so each one is a real insert, not a duplicate.
 */
import autocannon from 'autocannon';
import type { AnyRecord } from '../../shared/model';
import { encodeBundle } from '../../shared/sync/bundle';
import { authorizationHeader } from '../../shared/sync/protocol';
import { uuidv7 } from '../../shared/util/ids';
import { BENCH_CLINIC_ID } from './data';
import { enrollDevices } from './kat-server';

export type IngestResult = {
  bundles: number;
  stored: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p99Ms: number;
};

export async function ingest(
  url: string,
  records: AnyRecord[],
  amount: number,
): Promise<IngestResult> {
  const { admin } = await enrollDevices(url, 0);
  const dataKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
  ]);
  const bodies: Buffer[] = [];
  for (let i = 0; i < amount; i++) {
    const record = records[i % records.length]!;
    const { bytes } = await encodeBundle({
      clinicId: BENCH_CLINIC_ID,
      deviceId: admin.deviceId,
      keyVersion: 1,
      dataKey,
      signingKey: admin.privateKey,
      changes: [{ changeId: uuidv7(), record, hlc: record.updatedAt }],
    });
    bodies.push(Buffer.from(bytes));
  }
  let next = 0;
  const result = await autocannon({
    url: `${url}/v1/bundles`,
    connections: 16,
    amount,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers: {
          authorization: authorizationHeader(admin.token),
          'content-type': 'application/octet-stream',
        },
        setupRequest: (req: object) => ({ ...req, body: bodies[next++ % bodies.length] }),
      },
    ],
  });
  const stored = result['2xx'] as number;
  const seconds = result.duration as number;
  return {
    bundles: amount,
    stored,
    failed: (result.non2xx as number) + (result.errors as number),
    seconds,
    perSecond: stored / seconds,
    p99Ms: result.latency.p99 as number,
  };
}
