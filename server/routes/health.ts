import type { FastifyInstance } from 'fastify';
import { ENDPOINTS, PROTOCOL_VERSION } from '../../shared/sync/protocol';
import { openApiDocument } from '../openapi';
import { SERVER_VERSION } from '../version';
import { type AppContext, defineRoute } from './define';

export function healthRoutes(app: FastifyInstance, ctx: AppContext) {
  // identity() reads the store (PostgreSQL: a query), so an unreachable store answers 503.
  defineRoute(app, ctx, ENDPOINTS.health, async ({ reply }) => {
    reply.header('cache-control', 'no-store');
    const damaged = (ctx.store.journalDamage?.() ?? []).reduce((n, d) => n + d.frames, 0);
    return {
      status: 'ok' as const,
      protocol: PROTOCOL_VERSION,
      epoch: (await ctx.store.identity()).epoch,
      time: ctx.now().toISOString(),
      store: ctx.store.kind,
      version: SERVER_VERSION,
      ...(damaged > 0 ? { damagedEntries: damaged } : {}),
    };
  });

  const document = openApiDocument();
  app.get('/v1/openapi.json', async () => document);
}
