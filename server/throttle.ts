/**
 * Throttling of guesses (THREATS.md principle 7): wrong setup tokens, wrong enrollment codes and
 * unknown device credentials are counted per client address with @fastify/rate-limit; once an
 * address has failed too often in the window, that kind of request is refused with 429 until the
 * window passes — the right answer too, so a guesser learns nothing from a late lucky guess.
 * Only failures count: an office enrolling twenty computers from one address is never slowed.
 *
 * The address is `request.ip`: behind a reverse proxy set TRUST_PROXY (server/README.md), or
 * every client shares the proxy's address and bucket.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemError } from './problem';

export type ThrottleName = 'setup-token' | 'enrollment' | 'credentials';

export type ThrottleLimits = Record<ThrottleName, { failures: number; windowMs: number }>;

export const DEFAULT_THROTTLES: ThrottleLimits = {
  // A setup token is typed once per server; ten mistakes in an hour is someone guessing.
  'setup-token': { failures: 10, windowMs: 60 * 60_000 },
  // Codes are 60 random bits and live 15 minutes; a person mistypes a few at most.
  enrollment: { failures: 10, windowMs: 15 * 60_000 },
  // Device tokens are 256 random bits: a device never fails this unless removed or replaced.
  credentials: { failures: 20, windowMs: 15 * 60_000 },
};

const WHAT: Record<ThrottleName, string> = {
  'setup-token': 'wrong setup tokens were tried',
  enrollment: 'wrong enrollment codes were tried',
  credentials: 'unknown device credentials were tried',
};

type Limiter = (
  req: FastifyRequest,
  options?: { increment?: boolean },
) => Promise<{ isExceeded?: boolean; ttl?: number }>;

export type Throttle = {
  /** Throws a 429 problem when this address has failed too often (counts nothing). */
  guard(name: ThrottleName, request: FastifyRequest): Promise<void>;
  /** Counts one failure of this address. */
  failed(name: ThrottleName, request: FastifyRequest): Promise<void>;
};

export function installThrottle(
  app: FastifyInstance,
  limits: ThrottleLimits = DEFAULT_THROTTLES,
): Throttle {
  void app.register(rateLimit, { global: false });
  let limiters: Record<ThrottleName, Limiter> | undefined;
  // The plugin's decorator exists once the app is ready, which every request waits for.
  const limiter = (name: ThrottleName): Limiter => {
    limiters ??= Object.fromEntries(
      (Object.keys(limits) as ThrottleName[]).map((n) => [
        n,
        app.createRateLimit({
          max: limits[n].failures,
          timeWindow: limits[n].windowMs,
        }) as Limiter,
      ]),
    ) as Record<ThrottleName, Limiter>;
    return limiters[name];
  };
  return {
    async guard(name, request) {
      const status = await limiter(name)(request, { increment: false });
      if (!status.isExceeded) return;
      const seconds = Math.max(1, Math.ceil((status.ttl ?? limits[name].windowMs) / 1000));
      const minutes = Math.ceil(seconds / 60);
      request.log.warn({ throttle: name, ip: request.ip }, 'throttled');
      throw new ProblemError(
        429,
        'too-many-attempts',
        'Too many attempts',
        `Too many ${WHAT[name]} from this network address, so the server is not accepting more ` +
          `for now. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again; if this ` +
          'keeps happening, tell whoever runs the clinic server.',
        { 'retry-after': String(seconds) },
      );
    },
    async failed(name, request) {
      await limiter(name)(request);
    },
  };
}
