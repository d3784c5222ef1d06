/**
 * Cross-origin access for the app itself: the desktop app is served from kat://app and browser mode
 * from http://127.0.0.1 or localhost, so both call this server cross-origin. Requests carry a
 * bearer token, never cookies, so CORS grants no ambient authority; the list still names only
 * the app's origins plus what an operator adds in CORS_ORIGINS (comma-separated).
 */
import type { FastifyInstance } from 'fastify';

const APP_ORIGINS = [/^kat:\/\/app$/, /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/];

export function originAllowed(origin: string, extra: readonly string[] = []): boolean {
  return extra.includes(origin) || APP_ORIGINS.some((re) => re.test(origin));
}

export function installCors(app: FastifyInstance, extraOrigins: readonly string[] = []) {
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (!origin || !originAllowed(origin, extraOrigins)) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
    if (req.method === 'OPTIONS') {
      reply
        .header('access-control-allow-headers', 'authorization, content-type')
        .header('access-control-allow-methods', 'GET, POST, PUT, DELETE')
        .header('access-control-max-age', '600')
        .code(204)
        .send();
    }
  });
}
