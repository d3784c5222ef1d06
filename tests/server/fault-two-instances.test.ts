/**
 * Two real server processes on one PostgreSQL (stateless instances behind a load balancer),
 * three devices charting and syncing at the same time with every request sent to either
 * instance at random, while a fourth device keeps pulling. Afterwards every device holds every
 * record: no bundle was skipped by a cursor, even one committed late (issue 6).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/util/ids';
import { Device, newClinic } from '../sync/harness';
import { type ServerProcess, startServerProcess } from './fault-server';
import { PG_URL, dropSchema, uniqueSchema } from './helpers';

const schema = uniqueSchema();
let one: ServerProcess;
let two: ServerProcess;

beforeAll(async () => {
  // One after the other: the first creates the tables under its advisory lock.
  one = await startServerProcess({ port: 8793, databaseUrl: PG_URL, schema });
  two = await startServerProcess({ port: 8794, databaseUrl: PG_URL, schema });
}, 60_000);

afterAll(async () => {
  await one?.stop();
  await two?.stop();
  await dropSchema(schema);
});

/** Send each request of a device to either instance, as a round-robin balancer would. */
function balance(d: Device) {
  let n = Math.floor(Math.random() * 2);
  d.intercept = (url, init) => fetch(n++ % 2 ? url.replace(one.url, two.url) : url, init);
}

describe('two server processes on one PostgreSQL', () => {
  it('every device receives every bundle while all of them push and pull at once', async () => {
    const healthOne = (await (await fetch(`${one.url}/v1/health`)).json()) as { epoch: string };
    const healthTwo = (await (await fetch(`${two.url}/v1/health`)).json()) as { epoch: string };
    expect(healthOne.epoch).toBe(healthTwo.epoch);

    const { clinic, enroll } = await newClinic(one.url);
    const writers: Device[] = [];
    for (const name of ['laptop', 'frontdesk', 'tablet'])
      writers.push(await Device.create(name, clinic, one.url, enroll));
    const reader = await Device.create('office', clinic, one.url, enroll);
    const all = [...writers, reader];
    all.forEach(balance);
    try {
      const patientId = uuidv7();
      const perWriter = 12;
      let writing = true;
      const charting = writers.map(async (d, w) => {
        for (let i = 0; i < perWriter; i++) {
          await d.store.create('note', {
            patientId,
            templateId: 'soap',
            title: 'Session',
            sections: { subjective: `writer ${w} note ${i}` },
            timeline: [],
          });
          if (i % 2) expect(await d.sync()).toBe(true);
        }
        expect(await d.sync()).toBe(true);
      });
      let readerRounds = 0;
      const reading = (async () => {
        while (writing) {
          expect(await reader.sync()).toBe(true);
          readerRounds++;
        }
      })();
      await Promise.all(charting);
      writing = false;
      await reading;
      for (const d of all) expect(await d.sync()).toBe(true);

      const expected = writers
        .flatMap((_, w) => Array.from({ length: perWriter }, (_, i) => `writer ${w} note ${i}`))
        .sort();
      for (const d of all) {
        const texts = (await d.store.listKind('note')).map((n) => n.sections.subjective).sort();
        expect(texts, d.name).toEqual(expected);
      }
      const first = await all[0]!.snapshot();
      for (const d of all.slice(1)) expect(await d.snapshot()).toEqual(first);
      expect(readerRounds).toBeGreaterThan(1);
    } finally {
      for (const d of all) await d.dispose();
    }
  }, 120_000);
});
