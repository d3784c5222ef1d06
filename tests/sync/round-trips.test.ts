/**
 * A sync round opens a bounded number of IndexedDB transactions per page pulled and per bundle
 * pushed, however many changes they carry (issue 20). Each transaction is a round trip to the
 * browser's storage thread (~0.2 ms of idle wait in Chromium): one per change, awaited one after
 * another, made an initial pull of 10,000 records 2 s slower. That was the membership chain read
 * from the `meta` table for every change pulled (chainCheck) and every change pushed
 * (authorForPush). Transactions are counted at IndexedDB's own API (fake-indexeddb here), below Dexie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/util/ids';
import type { KatDatabase } from '../../renderer/db/database';
import { Device, newClinic, startServer } from './harness';

let server: Awaited<ReturnType<typeof startServer>>;
/** Transactions opened per database name, while a name is being watched. */
const opened = new Map<string, number>();
const open = IDBDatabase.prototype.transaction;
beforeAll(async () => {
  server = await startServer();
  // Dexie binds this method when a database opens, so it is wrapped before any opens.
  IDBDatabase.prototype.transaction = function (
    this: IDBDatabase,
    ...args: Parameters<typeof open>
  ) {
    const n = opened.get(this.name);
    if (n !== undefined) opened.set(this.name, n + 1);
    return open.apply(this, args);
  } as typeof open;
});
afterAll(async () => {
  IDBDatabase.prototype.transaction = open;
  await server?.close();
});

/** Runs `fn`, counting the IndexedDB transactions it opens on `db`. */
async function transactionsDuring(db: KatDatabase, fn: () => Promise<unknown>): Promise<number> {
  opened.set(db.name, 0);
  try {
    await fn();
    return opened.get(db.name)!;
  } finally {
    opened.delete(db.name);
  }
}

/** One computer pushes `n` new notes in one bundle; a second pulls them in one page. */
async function roundOf(n: number) {
  const { clinic, enroll } = await newClinic(server.url);
  const laptop = await Device.create('laptop', clinic, server.url, enroll);
  const tablet = await Device.create('tablet', clinic, server.url, enroll);
  laptop.split = { maxChanges: 500 };
  laptop.restart();
  // Both computers have synced once, so the rounds below carry the notes and nothing else new.
  expect(await laptop.sync()).toBe(true);
  expect(await tablet.sync()).toBe(true);
  const patientId = uuidv7();
  for (let i = 0; i < n; i++)
    await laptop.store.create('note', {
      patientId,
      templateId: 'soap',
      title: 'Session',
      sections: { subjective: `note ${i}` },
      timeline: [],
    });
  const push = await transactionsDuring(laptop.db, () => laptop.sync());
  const pull = await transactionsDuring(tablet.db, () => tablet.sync());
  expect((await tablet.store.listKind('note')).length).toBe(n);
  await laptop.dispose();
  await tablet.dispose();
  return { push, pull };
}

describe('IndexedDB transactions of a sync round', () => {
  it('do not grow with the number of changes in a page or a bundle', async () => {
    const small = await roundOf(10);
    const large = await roundOf(110);
    // Each note also queues an audit event, so both rounds carry 2n changes in one or two
    // bundles and pages: a few transactions more for a second one, never one per change.
    expect(large.push - small.push).toBeLessThanOrEqual(6);
    expect(large.pull - small.pull).toBeLessThanOrEqual(6);
  }, 60_000);
});
