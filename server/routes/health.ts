import type { FastifyInstance } from 'fastify';
import { ENDPOINTS, PROTOCOL_VERSION } from '../../shared/sync/protocol';
import { openApiDocument } from '../openapi';
import { type AppContext, defineRoute } from './define';

export function healthRoutes(app: FastifyInstance, ctx: AppContext) {
  defineRoute(app, ctx, ENDPOINTS.health, async () => ({
    status: 'ok' as const,
    protocol: PROTOCOL_VERSION,
    epoch: (await ctx.store.identity()).epoch,
    time: ctx.now().toISOString(),
  }));

  const document = openApiDocument();
  app.get('/v1/openapi.json', async () => document);
}
