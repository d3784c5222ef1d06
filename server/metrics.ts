/**
 * What an operator's monitoring sees (Prometheus text format, /v1/metrics): requests by route
 * template and status, latencies, problems by code, throttled guesses, bundles and bytes stored,
 * clinics and devices, and the process's own figures. Nothing clinical and nothing that names a
 * clinic, device or user: routes are templates (`/v1/key-blobs/:userKey`), never the address
 * asked for. One registry per app, so tests (and several apps in one process) never mix counts.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store, StoreStats } from './store/store';

export function installMetrics(app: FastifyInstance, store: Store): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kat_' });
  const requests = new Counter({
    name: 'kat_http_requests_total',
    help: 'Requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'kat_http_request_duration_seconds',
    help: 'Time to answer a request, by method and route template',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const problems = new Counter({
    name: 'kat_http_problems_total',
    help:
      'Refusals and errors answered, by route template, status and problem code (5xx: server ' +
      'errors; too-many-attempts: throttled guessing)',
    labelNames: ['route', 'status', 'code'],
    registers: [registry],
  });
  const pushed = new Counter({
    name: 'kat_bundles_received_total',
    help: 'New bundles stored since the server started (repeats of a stored bundle not counted)',
    registers: [registry],
  });
  const pushedBytes = new Counter({
    name: 'kat_bundle_bytes_received_total',
    help: 'Bytes of new bundles stored since the server started',
    registers: [registry],
  });
  // Store figures are read at each scrape, once for all the gauges that show them.
  let read: { at: number; stats: Promise<StoreStats | undefined> } | undefined;
  const storeStats = () => {
    if (!read || Date.now() - read.at > 1_000)
      read = { at: Date.now(), stats: store.stats().catch(() => undefined) };
    return read.stats;
  };
  const fromStore = (
    name: string,
    help: string,
    set: (gauge: Gauge, stats: StoreStats) => void,
    labelNames: string[] = [],
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const stats = await storeStats();
        if (stats) set(this, stats);
      },
    });
  new Gauge({
    name: 'kat_store_up',
    help: '1 when the store answered the scrape, 0 when it did not',
    registers: [registry],
    async collect() {
      this.set((await storeStats()) ? 1 : 0);
    },
  });
  fromStore('kat_clinics', 'Clinics registered', (g, s) => g.set(s.clinics));
  fromStore(
    'kat_devices',
    'Devices by state',
    (g, s) => {
      g.set({ state: 'active' }, s.devicesActive);
      g.set({ state: 'removed' }, s.devicesRevoked);
    },
    ['state'],
  );
  fromStore('kat_bundles_stored', 'Bundles in the store', (g, s) => g.set(s.bundles));
  fromStore('kat_bundle_bytes_stored', 'Bytes of bundles in the store', (g, s) =>
    g.set(s.bundleBytes),
  );

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const method = request.method;
    requests.inc({ method, route, status: String(reply.statusCode) });
    latency.observe({ method, route }, reply.elapsedTime / 1000);
    if (method === 'POST' && route === '/v1/bundles' && reply.statusCode === 201) {
      pushed.inc();
      pushedBytes.inc(Number(request.headers['content-length'] ?? 0));
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (typeof payload === 'string' && type.startsWith('application/problem+json')) {
      let code = 'unknown';
      try {
        code = String((JSON.parse(payload) as { code?: unknown }).code ?? code);
      } catch {
        // not ours to fix here: counted as unknown
      }
      const route = request.routeOptions.url ?? 'unmatched';
      problems.inc({ route, status: String(reply.statusCode), code });
    }
    return payload;
  });
  return registry;
}
