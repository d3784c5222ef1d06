/**
 * buildApp(deps) → a fastify instance with every /v1 route, testable with app.inject and started
 * for real by server/main.ts. Dependencies (store, clock, setup token, logger) come in as
 * parameters, so tests pin them.
 */
import Fastify, { type FastifyServerOptions } from 'fastify';
import { LIMITS } from '../shared/sync/protocol';
import { installCors } from './cors';
import { installProblemHandlers } from './problem';
import { bundleRoutes } from './routes/bundles';
import { clinicRoutes } from './routes/clinics';
import type { AppContext } from './routes/define';
import { deviceRoutes } from './routes/devices';
import { healthRoutes } from './routes/health';
import { keyBlobRoutes } from './routes/key-blobs';
import type { Store } from './store/store';

export type AppDeps = {
  store: Store;
  /** Overrides the setup token the store generated (SETUP_TOKEN). */
  setupToken?: string;
  now?: () => Date;
  /** pino options; false in tests. Request bodies are never logged. */
  logger?: FastifyServerOptions['logger'];
  trustProxy?: boolean;
  /** Origins allowed besides the app's own (kat://app, 127.0.0.1, localhost). */
  corsOrigins?: readonly string[];
};

/** Never log credentials, even at debug level. */
export const LOG_REDACT = ['req.headers.authorization', 'req.headers.cookie'];

export function buildApp(deps: AppDeps) {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: LIMITS.maxJsonBodyBytes,
    trustProxy: deps.trustProxy ?? false,
  });
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  installCors(app, deps.corsOrigins ?? []);
  installProblemHandlers(app);
  const ctx: AppContext = {
    store: deps.store,
    now: deps.now ?? (() => new Date()),
    setupToken: deps.setupToken,
  };
  healthRoutes(app, ctx);
  clinicRoutes(app, ctx);
  deviceRoutes(app, ctx);
  bundleRoutes(app, ctx);
  keyBlobRoutes(app, ctx);
  return app;
}
