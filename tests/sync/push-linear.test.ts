/**
 * Pushing n pending changes reads O(n) outbox rows in all (issue 6): each bundle reads only its
 * own share of the outbox, in seq order, and fetches its records with one bulkGet. The old
 * engine read (and decrypted) the whole outbox for every bundle, O(n²). Rows are counted below
 * IndexedDB's API, at Dexie's DBCore layer, so any way of reading them is seen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DBCore, DBCoreTable } from 'dexie';
import { HybridClock } from '../../shared/sync/hlc';
import { uuidv7 } from '../../shared/util/ids';
import { KatDatabase } from '../../renderer/db/database';
import { RecordStore } from '../../renderer/db/record-store';
import type { Session } from '../../renderer/db/session';
import { writePosition, writeSyncConfig } from '../../renderer/db/sync-state';
import { inlineCodec } from '../../renderer/sync/bundle-codec';
import { newDeviceKeys } from '../../renderer/sync/device-credentials';
import { SyncEngine } from '../../renderer/sync/sync-engine';
import { Device, newClinic, startServer } from './harness';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

type Counts = { outboxRows: number; recordGets: number; recordGetManys: number };

/** A database that counts what the engine reads from the outbox and the records table. */
function countingDb(counts: Counts) {
  const db = new KatDatabase(`push-linear-${uuidv7()}`);
  db.use({
    stack: 'dbcore',
    name: 'count-reads',
    create: (down: DBCore): DBCore => ({
      ...down,
      table(name: string): DBCoreTable {
        const t = down.table(name);
        if (name === 'outbox')
          return {
            ...t,
            async query(req) {
              const res = await t.query(req);
              counts.outboxRows += res.result.length;
              return res;
            },
            async openCursor(req) {
              const cursor = await t.openCursor(req);
              if (cursor) counts.outboxRows++;
              return cursor;
            },
          };
        if (name === 'records')
          return {
            ...t,
            async get(req) {
              counts.recordGets++;
              return t.get(req);
            },
            async getMany(req) {
              counts.recordGetManys++;
              return t.getMany(req);
            },
          };
        return t;
      },
    }),
  });
  return db;
}

async function pushAll(n: number, maxChanges: number) {
  const counts: Counts = { outboxRows: 0, recordGets: 0, recordGetManys: 0 };
  const { clinic, enroll } = await newClinic(server.url);
  const db = countingDb(counts);
  const session: Session = {
    clinicId: clinic.clinicId,
    deviceId: 'laptop',
    user: clinic.user,
    dataKey: clinic.dataKey,
    keyVersion: 1,
    clock: new HybridClock('laptop'),
  };
  const { pair, publicKey } = await newDeviceKeys();
  const creds = await enroll(publicKey);
  const config = {
    serverUrl: server.url,
    clinicId: clinic.clinicId,
    deviceId: creds.deviceId,
    admin: creds.admin,
  };
  await writeSyncConfig(db, config);
  await writePosition(db, { cursor: 0, epoch: creds.epoch });
  const store = new RecordStore(db, session);
  const patientId = uuidv7();
  for (let i = 0; i < n; i++) {
    const note = await store.create('note', {
      patientId,
      templateId: 'soap',
      title: 'Session',
      sections: { subjective: `note ${i}` },
      timeline: [],
    });
    // A second change of every third note: the outbox holds more rows than records.
    if (i % 3 === 0)
      await store.update('note', note.id, () => ({
        sections: { subjective: `note ${i}, edited` },
      }));
  }
  const rowsBefore = await db.outbox.count();
  const engine = new SyncEngine({
    db,
    context: session,
    config,
    secrets: { token: creds.token, signingKey: pair.privateKey },
    codec: inlineCodec,
    split: { maxChanges },
  });
  counts.outboxRows = counts.recordGets = counts.recordGetManys = 0;
  const report = await engine.syncOnce();
  const after = {
    ...counts,
    rowsBefore,
    pushed: report.pushed,
    // At least one change per note (audit events may travel alongside).
    records: await db.records.count(),
    left: await db.outbox.count(),
  };

  // Every note arrives whole on another device.
  const other = await Device.create('tablet', clinic, server.url, enroll);
  expect(await other.sync()).toBe(true);
  const texts = (await other.store.listKind('note')).map((x) => x.sections.subjective);
  expect(texts).toHaveLength(n);
  expect(texts.filter((t) => t?.endsWith('edited'))).toHaveLength(Math.ceil(n / 3));
  await other.dispose();
  db.close();
  await db.delete();
  return after;
}

describe('pushing the outbox', () => {
  it('reads each outbox row a bounded number of times, however long the outbox is', async () => {
    const small = await pushAll(30, 5);
    const large = await pushAll(120, 5);
    for (const run of [small, large]) {
      expect(run.left).toBe(0);
      expect(run.pushed).toBeGreaterThanOrEqual(run.records);
      // Reading a bundle's rows and the "last seq" probe (the acknowledgement reads none):
      // ≤ 4 reads per row plus a little per bundle. The quadratic engine read ~rows²/(2·5) here.
      const bundles = run.pushed / 5;
      expect(run.outboxRows).toBeLessThanOrEqual(4 * run.rowsBefore + 4 * bundles);
      // One bulkGet per bundle, never one get per record.
      expect(run.recordGets).toBe(0);
      expect(run.recordGetManys).toBeLessThanOrEqual(bundles + 2);
    }
    // Four times the records, about four times the reads (not sixteen).
    expect(large.outboxRows / small.outboxRows).toBeLessThan(5);
  }, 60_000);
});
