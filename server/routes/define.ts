/**
 * Registers one endpoint of shared/sync/protocol.ts: authenticates as the table says, parses
 * params, query and body with the endpoint's schemas, and answers with its success status.
 * Handlers receive parsed, typed input only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { LIMITS, type Endpoint } from '../../shared/sync/protocol';
import { authenticate } from '../auth';
import { ProblemError, parseOr400 } from '../problem';
import type { DeviceRecord, Store } from '../store/store';
import type { ActivityTracker } from '../activity';
import type { Throttle } from '../throttle';

export type AppContext = {
  store: Store;
  now: () => Date;
  /** SETUP_TOKEN: counts until the first setup token is spent (server/setup-token.ts). */
  setupToken?: string;
  /** Where the setup token is written for the operator; rewritten once it is spent. */
  setupTokenFile?: string;
  throttle: Throttle;
  /** Last seen / last synced per device (server/activity.ts). */
  activity: ActivityTracker;
};

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export type RouteInput<E extends Endpoint> = {
  device: E['auth'] extends 'none' ? undefined : DeviceRecord;
  params: Out<E['params']>;
  query: Out<E['query']>;
  body: E['body'] extends 'bundle' ? Uint8Array : Out<E['body']>;
  request: FastifyRequest;
  reply: FastifyReply;
};

export type RouteResult<E extends Endpoint> = E['response'] extends z.ZodType
  ? z.input<E['response']>
  : void;

/** Unknown credentials count as guesses (server/throttle.ts); known devices are never slowed. */
async function authenticated(ctx: AppContext, request: FastifyRequest, level: 'device' | 'admin') {
  await ctx.throttle.guard('credentials', request);
  try {
    return await authenticate(request, ctx.store, level);
  } catch (e) {
    if (e instanceof ProblemError && e.code === 'bad-credentials')
      await ctx.throttle.failed('credentials', request);
    throw e;
  }
}

export function defineRoute<E extends Endpoint>(
  app: FastifyInstance,
  ctx: AppContext,
  endpoint: E,
  handler: (input: RouteInput<E>) => Promise<RouteResult<E>>,
) {
  app.route({
    method: endpoint.method,
    url: endpoint.path,
    bodyLimit: endpoint.body === 'bundle' ? LIMITS.maxBundleBytes : LIMITS.maxJsonBodyBytes,
    handler: async (request, reply) => {
      const device =
        endpoint.auth === 'none' ? undefined : await authenticated(ctx, request, endpoint.auth);
      const params = endpoint.params
        ? parseOr400(endpoint.params, request.params, 'address')
        : undefined;
      const query = endpoint.query ? parseOr400(endpoint.query, request.query, 'query') : undefined;
      let body: unknown;
      if (endpoint.body === 'bundle') {
        if (!(request.body instanceof Uint8Array))
          throw new ProblemError(
            415,
            'unsupported-media-type',
            'Unsupported content type',
            'Send a sync bundle as application/octet-stream. Nothing was stored.',
          );
        body = new Uint8Array(
          request.body.buffer,
          request.body.byteOffset,
          request.body.byteLength,
        );
      } else if (endpoint.body) {
        body = parseOr400(endpoint.body, request.body ?? {}, 'request body');
      }
      reply.code(endpoint.status);
      const input = { device, params, query, body, request, reply } as RouteInput<E>;
      const result = await handler(input);
      if (device)
        ctx.activity.note(
          device.deviceId,
          endpoint.path === '/v1/bundles' && endpoint.method === 'GET',
        );
      return endpoint.status === 204 ? reply.send() : result;
    },
  });
}
