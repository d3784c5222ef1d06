/**
 * Monitoring: /v1/metrics in Prometheus text format behind its own token, carrying counts and
 * timings but nothing clinical or identifying; /v1/health as a load balancer reads it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateDataKey } from '../../shared/crypto/envelope';
import { Health } from '../../shared/sync/protocol';
import { buildApp } from '../../server/app';
import { PostgresStore } from '../../server/store/postgres';
import { bootstrap, enroll, makeBundle, newKeys, pushOk } from './client';
import { PG_URL, dropSchema, embeddedFixture, quiet, uniqueSchema } from './helpers';

const METRICS_TOKEN = 'metrics-token-for-tests-0123';
const SETUP = 'setup-token-for-tests-0123456789';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function world(metricsToken?: string) {
  const fixture = embeddedFixture();
  const store = await fixture.open();
  const app = buildApp({ store, setupToken: SETUP, metricsToken });
  cleanups.push(async () => {
    await app.close();
    await store.close();
    await fixture.cleanup();
  });
  return app;
}

describe('GET /v1/metrics', () => {
  it('is off unless the operator sets METRICS_TOKEN, and refuses any other token', async () => {
    const off = await world();
    const res = await off.inject({ method: 'GET', url: '/v1/metrics' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'metrics-off' });

    const on = await world(METRICS_TOKEN);
    const admin = await bootstrap(on, SETUP);
    for (const authorization of [undefined, admin.auth.authorization, 'Bearer nope']) {
      const refused = await on.inject({
        method: 'GET',
        url: '/v1/metrics',
        headers: authorization ? { authorization } : {},
      });
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toMatchObject({ code: 'bad-metrics-token' });
    }
  });

  it('counts requests, latencies, problems, bundles, bytes and devices, and names nothing', async () => {
    const app = await world(METRICS_TOKEN);
    const dataKey = await generateDataKey();
    const admin = await bootstrap(app, SETUP);
    const laptop = await enroll(app, admin);
    const text = 'Patient reports vivid imagery; Maya Okafor';
    const bundles = [await makeBundle(admin, dataKey, text), await makeBundle(laptop, dataKey)];
    await pushOk(app, admin, bundles[0]!.bytes);
    await pushOk(app, laptop, bundles[1]!.bytes);
    await pushOk(app, admin, bundles[0]!.bytes); // a repeat: stored once
    await app.inject({
      method: 'PUT',
      url: '/v1/key-blobs/clinic-recovery',
      headers: admin.auth,
      payload: { blob: 'wrapped', ifRevision: 0 },
    });
    await app.inject({ method: 'GET', url: '/v1/devices', headers: { authorization: 'Bearer x' } });
    await app.inject({
      method: 'POST',
      url: '/v1/devices/enroll',
      payload: { code: 'AAAA-BBBB-CCCC', publicKey: (await newKeys()).publicKey },
    });

    const res = await app.inject({
      method: 'GET',
      url: '/v1/metrics',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = res.body;
    const value = (series: string) => {
      const line = body.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(value('kat_http_requests_total{method="POST",route="/v1/bundles",status="201"}')).toBe(
      2,
    );
    expect(value('kat_http_requests_total{method="POST",route="/v1/bundles",status="200"}')).toBe(
      1,
    );
    expect(body).toMatch(
      /kat_http_request_duration_seconds_bucket\{le="0\.5",method="POST",route="\/v1\/bundles"\} 3/,
    );
    const size = bundles[0]!.bytes.byteLength + bundles[1]!.bytes.byteLength;
    expect(value('kat_bundles_received_total')).toBe(2);
    expect(value('kat_bundles_stored')).toBe(2);
    expect(value('kat_bundle_bytes_received_total')).toBe(size);
    expect(value('kat_bundle_bytes_stored')).toBe(size);
    expect(value('kat_clinics')).toBe(1);
    expect(value('kat_devices{state="active"}')).toBe(2);
    expect(value('kat_devices{state="removed"}')).toBe(0);
    expect(value('kat_store_up')).toBe(1);
    expect(
      value('kat_http_problems_total{route="/v1/devices",status="401",code="bad-credentials"}'),
    ).toBe(1);
    expect(
      value('kat_http_problems_total{route="/v1/devices/enroll",status="403",code="code-unknown"}'),
    ).toBe(1);
    expect(body).toMatch(/kat_process_resident_memory_bytes \d+/);
    // Nothing that names a clinic, device or user, and nothing clinical.
    for (const secret of [
      admin.credentials.clinicId,
      admin.credentials.deviceId,
      laptop.credentials.deviceId,
      'user-dana',
      'Okafor',
      admin.credentials.token.split('.')[1]!,
    ])
      expect(body).not.toContain(secret);
  });
});

describe('GET /v1/health for a load balancer', () => {
  it('answers 200 with the store kind and version, never cached', async () => {
    const app = await world();
    const res = await app.inject({ method: 'GET', url: '/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Health.parse(res.json())).toMatchObject({ status: 'ok', store: 'embedded' });
    expect(res.json().version).toMatch(/^\d+\.\d+\.\d+/);
    expect((await app.inject({ method: 'HEAD', url: '/v1/health' })).statusCode).toBe(200);
  });

  it('answers 503 when its PostgreSQL does not answer, so the balancer takes it out', async () => {
    const schema = uniqueSchema();
    cleanups.push(() => dropSchema(schema));
    const store = await PostgresStore.open({ connectionString: PG_URL, schema, log: quiet });
    const app = buildApp({ store, setupToken: SETUP });
    expect((await app.inject({ method: 'GET', url: '/v1/health' })).statusCode).toBe(200);
    await store.close(); // as if the database went away
    const down = await app.inject({ method: 'GET', url: '/v1/health' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ code: 'store-unavailable' });
    await app.close();
  });
});
