/**
 * Two stateless server instances on one PostgreSQL under concurrent pushes, with a delay injected
 * between taking a sequence and committing it (the window in which a naive sequence lets a reader
 * skip a late commit). A puller that never stops pulling, alternating between the instances, must
 * end with every bundle exactly once and see no gap in any page.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataKey } from '../../shared/crypto/envelope';
import { buildApp } from '../../server/app';
import { PostgresStore } from '../../server/store/postgres';
import { type TestDevice, bootstrap, enroll, makeBundle, pull, pushOk } from './client';
import { PG_URL, dropSchema, quiet, uniqueSchema } from './helpers';

const SETUP = 'setup-token-for-concurrency-tests';
const schema = uniqueSchema();
const stores: PostgresStore[] = [];
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const store = await PostgresStore.open({
      connectionString: PG_URL,
      schema,
      log: quiet,
      poolSize: 8,
      beforeCommit: () => new Promise((r) => setTimeout(r, Math.random() * 8)),
    });
    stores.push(store);
    apps.push(buildApp({ store, setupToken: SETUP }));
  }
});

afterAll(async () => {
  for (const app of apps) await app.close();
  for (const store of stores) await store.close();
  await dropSchema(schema);
});

describe('two server instances on one PostgreSQL', () => {
  it('share one epoch', async () => {
    const [a, b] = await Promise.all(stores.map((s) => s.identity()));
    expect(a!.epoch).toBe(b!.epoch);
  });

  it('a continuous puller receives every concurrently pushed bundle, none skipped', async () => {
    const [appA, appB] = apps as [FastifyInstance, FastifyInstance];
    const dataKey = await generateDataKey();
    const admin = await bootstrap(appA, SETUP);
    const devices: TestDevice[] = [admin];
    for (let i = 0; i < 3; i++) devices.push(await enroll(i % 2 ? appA : appB, admin));

    const perDevice = 40;
    const pushed = new Set<string>();
    let pushing = true;
    const pushers = devices.map(async (device, d) => {
      for (let i = 0; i < perDevice; i += 4) {
        await Promise.all(
          [0, 1, 2, 3].map(async (k) => {
            const { bytes, header } = await makeBundle(device, dataKey, `d${d} b${i + k}`);
            const app = (i + k + d) % 2 ? appA : appB;
            await pushOk(app, device, bytes);
            pushed.add(header.bundleId);
          }),
        );
      }
    });

    const received: string[] = [];
    let cursor = 0;
    let pulls = 0;
    const puller = (async () => {
      for (;;) {
        const done = !pushing;
        const page = await pull(pulls++ % 2 ? appA : appB, devices[1]!, {
          after: cursor,
          limit: 7,
        });
        page.bundles.forEach((b, i) => expect(b.seq).toBe(cursor + i + 1));
        received.push(...page.bundles.map((b) => b.bundleId));
        cursor = page.cursor;
        if (done && !page.hasMore && page.bundles.length === 0) return;
      }
    })();

    await Promise.all(pushers);
    pushing = false;
    await puller;

    expect(pushed.size).toBe(devices.length * perDevice);
    expect(received).toHaveLength(pushed.size);
    expect(new Set(received)).toEqual(pushed);
    expect(pulls).toBeGreaterThan(10);
  }, 60_000);
});
