/**
 * Entry of the bench page (bundled by esbuild in run.ts). It exposes the benchmarks on
 * `window.katBench` for Playwright to call; the records are generated here, in the page, from
 * the same deterministic demo clinic the Node side counts.
 */
import type { AnyRecord } from '../../../shared/model';
import { fromBase64 } from '../../../shared/util/bytes';
import { benchRecords } from '../data';
import { encryptPath } from './crypto-bench';
import { resealClinic } from './reseal-bench';
import { chartAndAutosave, releaseSignedIn, unlockAndSearch } from './unlock-bench';
import {
  type DeviceArgs,
  authorVerify,
  oursPull,
  oursPush,
  pouchPull,
  pouchPush,
  rawBulkPut,
} from './sync-bench';

let records: AnyRecord[] = [];
let dataKey: CryptoKey | undefined;
let pending: (() => Promise<unknown>) | undefined;

const key = () => {
  if (!dataKey) throw new Error('Call katBench.prepare first.');
  return dataKey;
};

const api = {
  async prepare(patients: number, limit: number, rawKeyB64: string) {
    records = await benchRecords(patients, limit);
    dataKey = await crypto.subtle.importKey('raw', fromBase64(rawKeyB64), 'AES-GCM', false, [
      'encrypt',
      'decrypt',
    ]);
    return records.length;
  },
  oursPush: (d: DeviceArgs) => oursPush(records, key(), d),
  oursPull: (d: DeviceArgs) => oursPull(records.length, key(), d),
  authorVerify: () => authorVerify(records),
  rawBulkPut: () => rawBulkPut(records),
  pouchPush: (url: string) => pouchPush(records, url),
  pouchPull: (url: string) => pouchPull(records.length, url),
  encryptPath: () => encryptPath(records, key()),
  unlockAndSearch: (patients: number) => unlockAndSearch(patients),
  resealClinic: (patients: number) => resealClinic(patients),
  /** Set up first (not profiled), then `chartAndAutosaveRun` runs under the profiler. */
  async chartAndAutosaveSetup(patients: number) {
    pending = (await chartAndAutosave(patients)).ready;
  },
  chartAndAutosaveRun() {
    if (!pending) throw new Error('Call chartAndAutosaveSetup first.');
    const run = pending;
    pending = undefined;
    return run();
  },
  release() {
    records = [];
    releaseSignedIn();
  },
};

export type KatBench = typeof api;
(globalThis as unknown as { katBench: KatBench }).katBench = api;
