/**
 * Sync benchmarks that run inside Chromium: our engine (renderer/sync) pushing and pulling through
 * the clinic server, PouchDB doing the same against express-pouchdb, and raw Dexie bulkPut as the
 * physical limit. Each returns milliseconds of the timed part only; setup is not timed.
 */
import Dexie from 'dexie';
import PouchDB from 'pouchdb-browser';
import type { AnyRecord } from '../../../shared/model';
import { HybridClock } from '../../../shared/sync/hlc';
import {
  exportPublicKey,
  generateDeviceKeyPair,
  importPrivateKey,
} from '../../../shared/sync/device-keys';
import { changeAuthorHolds, recordDigest, signChange } from '../../../shared/trust/change-author';
import { fromBase64 } from '../../../shared/util/bytes';
import { uuidv7 } from '../../../shared/util/ids';
import { KatDatabase } from '../../../renderer/db/database';
import { MIGRATIONS } from '../../../renderer/db/migrations';
import { encryptRecord, indexFields } from '../../../renderer/db/record-crypto';
import { writePosition, writeSyncConfig } from '../../../renderer/db/sync-state';
import { SyncEngine } from '../../../renderer/sync/sync-engine';
import { BENCH_CLINIC_ID } from '../data';

export type DeviceArgs = {
  serverUrl: string;
  deviceId: string;
  token: string;
  pkcs8: string;
  admin: boolean;
  epoch: string;
};

async function engineFor(db: KatDatabase, dataKey: CryptoKey, d: DeviceArgs) {
  const config = {
    serverUrl: d.serverUrl,
    clinicId: BENCH_CLINIC_ID,
    deviceId: d.deviceId,
    admin: d.admin,
  };
  await writeSyncConfig(db, config);
  await writePosition(db, { cursor: 0, epoch: d.epoch });
  return new SyncEngine({
    db,
    context: {
      clinicId: BENCH_CLINIC_ID,
      dataKey,
      keyVersion: 1,
      clock: new HybridClock(d.deviceId.replace(/-/g, '').slice(-12)),
    },
    config,
    secrets: { token: d.token, signingKey: await importPrivateKey(fromBase64(d.pkcs8)) },
  });
}

const freshName = (what: string) => `bench-${what}-${uuidv7()}`;

/** Our push: the records sit encrypted in the local store with one outbox row each. */
export async function oursPush(records: AnyRecord[], dataKey: CryptoKey, d: DeviceArgs) {
  const db = new KatDatabase(freshName('push'));
  const rows = await Promise.all(records.map((r) => encryptRecord(r, dataKey, 1, indexFields(r))));
  await db.records.bulkPut(rows);
  await db.outbox.bulkAdd(
    records.map((r) => ({ changeId: uuidv7(), recordId: r.id, kind: r.kind, hlc: r.updatedAt })),
  );
  const engine = await engineFor(db, dataKey, d);
  const t0 = performance.now();
  const report = await engine.syncOnce();
  const ms = performance.now() - t0;
  await db.delete(); // as PouchDB's destroy(): no leftover store compacting under the next run
  if (report.pushed !== records.length)
    throw new Error(`Our push sent ${report.pushed} of ${records.length} records.`);
  return ms;
}

/** Our initial pull onto a fresh device: verify, decrypt, check, re-encrypt at rest, apply. */
export async function oursPull(expected: number, dataKey: CryptoKey, d: DeviceArgs) {
  const db = new KatDatabase(freshName('pull'));
  const engine = await engineFor(db, dataKey, d);
  const t0 = performance.now();
  const report = await engine.syncOnce();
  const ms = performance.now() - t0;
  const stored = await db.records.count();
  await db.delete();
  if (stored !== expected || report.rejected || report.quarantined)
    throw new Error(
      `Our pull stored ${stored} of ${expected} records (${report.rejected} rejected, ${report.quarantined} quarantined).`,
    );
  return ms;
}

/**
 * What checking each incoming change's writer costs (issue 13: renderer/trust/incoming.ts,
 * `checkAuthor`): per change, the digest of the record as received, the import of the writer's
 * chain key and one ECDSA P-256 verify — the very calls the pull makes, one change after another
 * as it does. The bench clinic's pull above carries no writers (no chain), so this is timed apart
 * in the same run and reported against it. Signing (setup) is not timed.
 */
export async function authorVerify(records: AnyRecord[]) {
  const pair = await generateDeviceKeyPair();
  const spki = await exportPublicKey(pair.publicKey);
  const userId = '01938a1c-0000-7000-8000-00000000a001';
  const authors = [];
  for (const r of records)
    authors.push(await signChange(r, { userId, signingKey: pair.privateKey, chain: 3 }));
  const t0 = performance.now();
  let held = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const digest = await recordDigest(r);
    if (await changeAuthorHolds(r, authors[i]!, spki, digest)) held++;
  }
  const ms = performance.now() - t0;
  if (held !== records.length)
    throw new Error(`Only ${held} of ${records.length} writer signatures verified.`);
  return ms;
}

/** The physical limit: the same decrypted rows, one bulkPut, the same indexes as our records table. */
export async function rawBulkPut(records: AnyRecord[]) {
  const schema = [...MIGRATIONS].reverse().find((m) => m.stores.records)!.stores.records!;
  const db = new Dexie(freshName('raw'));
  db.version(1).stores({ records: schema });
  const rows = records.map((r) => ({ ...r, ...indexFields(r) }));
  await db.open();
  const t0 = performance.now();
  await db.table('records').bulkPut(rows);
  const ms = performance.now() - t0;
  await db.delete();
  return ms;
}

const docs = (records: AnyRecord[]) => records.map((r) => ({ ...r, _id: r.id }));

export async function pouchPush(records: AnyRecord[], remoteUrl: string) {
  const local = new PouchDB(freshName('pouch-push'));
  await local.bulkDocs(docs(records));
  const t0 = performance.now();
  const result = await local.replicate.to(remoteUrl);
  const ms = performance.now() - t0;
  await local.destroy();
  if (result.docs_written !== records.length)
    throw new Error(`PouchDB pushed ${result.docs_written} of ${records.length} documents.`);
  return ms;
}

export async function pouchPull(expected: number, remoteUrl: string) {
  const local = new PouchDB(freshName('pouch-pull'));
  const t0 = performance.now();
  const result = await local.replicate.from(remoteUrl);
  const ms = performance.now() - t0;
  await local.destroy();
  if (result.docs_written !== expected)
    throw new Error(`PouchDB pulled ${result.docs_written} of ${expected} documents.`);
  return ms;
}
