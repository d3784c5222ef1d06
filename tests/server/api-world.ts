/**
 * A fresh server for each API test: embedded store in a temp folder, a pinned clock, captured
 * logs, a clinic data key and the clinic's first (admin) device.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { generateDataKey } from '../../shared/crypto/envelope';
import { LOG_REDACT, buildApp } from '../../server/app';
import type { Store } from '../../server/store/store';
import { type TestDevice, bootstrap } from './client';
import { embeddedFixture } from './helpers';

export const SETUP = 'setup-token-for-tests-0123456789';

export type ApiWorld = {
  app: FastifyInstance;
  store: Store;
  dataKey: CryptoKey;
  admin: TestDevice;
  logs: string[];
  clock: { ms: number };
  close(): Promise<void>;
};

export async function openApiWorld(): Promise<ApiWorld> {
  const fixture = embeddedFixture();
  const store = await fixture.open();
  const clock = { ms: Date.parse('2026-03-01T09:00:00.000Z') };
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = buildApp({
    store,
    setupToken: SETUP,
    now: () => new Date(clock.ms),
    logger: { level: 'info', redact: LOG_REDACT, stream },
  });
  return {
    app,
    store,
    logs,
    clock,
    dataKey: await generateDataKey(),
    admin: await bootstrap(app, SETUP),
    async close() {
      await app.close();
      await store.close();
      await fixture.cleanup();
    },
  };
}
