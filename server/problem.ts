/**
 * Every error leaves the server as application/problem+json (RFC 9457) with a `detail` written for
 * the person at the keyboard and a stable `code` for the app to branch on. Nothing from the
 * request body ever goes into a problem or a log line.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { Problem } from '../shared/sync/protocol';
import { StoreUnavailableError } from './store/store';

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail: string,
    /** Extra response headers (Retry-After for a 429). */
    readonly headers: Record<string, string> = {},
    /** Extra problem members the app reads (`revokedAt`). */
    readonly extra: Pick<Problem, 'revokedAt'> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

export function sendProblem(reply: FastifyReply, problem: Problem) {
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer realm="kat-chart"');
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

function toProblem(status: number, code: string, title: string, detail: string): Problem {
  return { type: `urn:kat-chart:problem:${code}`, title, status, detail, code };
}

/** Parses with a protocol schema; a failure becomes a 400 naming the fields, never the values. */
export function parseOr400<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : what}: ${i.message}`)
    .join('; ');
  throw new ProblemError(
    400,
    'malformed-request',
    'Request not understood',
    `The ${what} was not in the form this server expects (${fields}). Nothing was changed; ` +
      'check that the app and the server are up to date.',
  );
}

const FASTIFY_PROBLEMS: Record<string, [number, string, string, (e: FastifyError) => string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [
    413,
    'body-too-large',
    'Request too large',
    () =>
      'The request is larger than this server accepts, so nothing was stored. A sync bundle ' +
      'this large should have been split; update the app.',
  ],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'unsupported-media-type',
    'Unsupported content type',
    () => 'The request body is not in a format this endpoint accepts. Nothing was changed.',
  ],
  FST_ERR_CTP_EMPTY_JSON_BODY: [
    400,
    'malformed-request',
    'Request not understood',
    () => 'The request said it carried JSON but its body was empty. Nothing was changed.',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    400,
    'malformed-request',
    'Request not understood',
    () => 'The request body did not match its declared length. Nothing was changed.',
  ],
};

export function installProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ProblemError) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return sendProblem(reply, {
        ...toProblem(error.status, error.code, error.title, error.message),
        ...error.extra,
      });
    }
    if (error instanceof StoreUnavailableError) {
      request.log.error({ err: { message: error.message } }, 'store unavailable');
      return sendProblem(
        reply,
        toProblem(503, 'store-unavailable', 'Storage unavailable', error.message),
      );
    }
    const known = error.code ? FASTIFY_PROBLEMS[error.code] : undefined;
    if (known) return sendProblem(reply, toProblem(known[0], known[1], known[2], known[3](error)));
    if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message)))
      return sendProblem(
        reply,
        toProblem(
          400,
          'malformed-json',
          'Request not understood',
          'The request body is not valid JSON. Nothing was changed.',
        ),
      );
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
      return sendProblem(
        reply,
        toProblem(
          error.statusCode,
          'bad-request',
          'Request refused',
          `The request was refused: ${error.message}`,
        ),
      );
    request.log.error({ err: { message: error.message, stack: error.stack } }, 'unexpected error');
    return sendProblem(
      reply,
      toProblem(
        500,
        'internal',
        'Server problem',
        'The server ran into a problem and did not finish this request. Try again; if it keeps ' +
          'happening, tell whoever runs the clinic server.',
      ),
    );
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      toProblem(
        404,
        'not-found',
        'No such endpoint',
        `This server has no ${request.method} ${request.url.split('?')[0]}. Check the server ` +
          'address, and that the app and the server are the same version.',
      ),
    ),
  );
}

export const problems = {
  missingCredentials: () =>
    new ProblemError(
      401,
      'missing-credentials',
      'Device not signed in',
      'This request carried no device credentials. Enroll this device with a code from your ' +
        'clinic administrator.',
    ),
  badCredentials: () =>
    new ProblemError(
      401,
      'bad-credentials',
      'Device not recognised',
      'These device credentials are not valid on this server. If the server was replaced or this ' +
        'device was re-enrolled, enroll it again with a new code.',
    ),
  revoked: (at: string) =>
    new ProblemError(
      403,
      'device-revoked',
      'Computer removed',
      `This computer was removed from the clinic (${at}). Ask your administrator for a join ` +
        'code if it should sync again.',
      {},
      { revokedAt: at },
    ),
  adminOnly: () =>
    new ProblemError(
      403,
      'admin-only',
      'Administrator device needed',
      "Only an administrator's device can do this. Ask your clinic administrator.",
    ),
};
