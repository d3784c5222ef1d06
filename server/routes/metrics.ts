/**
 * GET /v1/metrics for the operator's monitoring (Prometheus text format, server/metrics.ts),
 * behind a token of its own (METRICS_TOKEN; scrape with `authorization: Bearer <token>`), so a
 * monitoring system never holds a device's credentials. Without METRICS_TOKEN the address
 * answers 404. Wrong tokens count as credential guesses (server/throttle.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { sameSecret } from '../auth';
import { ProblemError } from '../problem';
import type { AppContext } from './define';

export function metricsRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  registry: Registry,
  metricsToken: string | undefined,
) {
  app.get('/v1/metrics', async (request, reply) => {
    if (!metricsToken)
      throw new ProblemError(
        404,
        'metrics-off',
        'Metrics are off',
        'This server publishes no metrics. Set METRICS_TOKEN in its settings to turn them on.',
      );
    await ctx.throttle.guard('credentials', request);
    const presented = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (!sameSecret(presented, metricsToken)) {
      await ctx.throttle.failed('credentials', request);
      throw new ProblemError(
        401,
        'bad-metrics-token',
        'Metrics token not accepted',
        'Send the METRICS_TOKEN of this server as "Authorization: Bearer <token>".',
      );
    }
    reply.header('cache-control', 'no-store').type(registry.contentType);
    return registry.metrics();
  });
}
