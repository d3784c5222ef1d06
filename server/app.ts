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
import { chainRoutes } from './routes/chain';
import { clinicRoutes } from './routes/clinics';
import { selfReenrollRoutes } from './routes/self-reenroll';
import type { AppContext } from './routes/define';
import { deviceRoutes } from './routes/devices';
import { healthRoutes } from './routes/health';
import { keyBlobRoutes } from './routes/key-blobs';
import { ActivityTracker } from './activity';
import { installMetrics } from './metrics';
import { deviceProfileRoutes } from './routes/device-profile';
import { metricsRoutes } from './routes/metrics';
import type { Store } from './store/store';
import { type ThrottleLimits, installThrottle } from './throttle';

export type AppDeps = {
  store: Store;
  /** SETUP_TOKEN: used instead of the generated one until a token is first spent. */
  setupToken?: string;
  /** Where the operator finds the setup token (server/setup-token.ts). */
  setupTokenFile?: string;
  /** Guess throttling limits (server/throttle.ts); tests lower or raise them. */
  throttle?: ThrottleLimits;
  /** Bearer token for GET /v1/metrics (METRICS_TOKEN); without it metrics are off. */
  metricsToken?: string;
  now?: () => Date;
  /** pino options; false in tests. Request bodies are never logged. */
  logger?: FastifyServerOptions['logger'];
  trustProxy?: boolean | string[];
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
  const metrics = installMetrics(app, deps.store);
  installCors(app, deps.corsOrigins ?? []);
  installProblemHandlers(app);
  const ctx: AppContext = {
    store: deps.store,
    now: deps.now ?? (() => new Date()),
    setupToken: deps.setupToken,
    setupTokenFile: deps.setupTokenFile,
    throttle: installThrottle(app, deps.throttle),
    activity: new ActivityTracker(deps.store, deps.now ?? (() => new Date())),
  };
  ctx.activity.start();
  app.addHook('onClose', () => ctx.activity.stop());
  healthRoutes(app, ctx);
  clinicRoutes(app, ctx);
  selfReenrollRoutes(app, ctx);
  deviceRoutes(app, ctx);
  deviceProfileRoutes(app, ctx);
  bundleRoutes(app, ctx);
  keyBlobRoutes(app, ctx);
  metricsRoutes(app, ctx, metrics, deps.metricsToken);
  chainRoutes(app, ctx);
  return app;
}
