// @vitest-environment jsdom
/**
 * The all-routes e2e (tests/e2e/every-route.spec.ts) visits every route as every role; this keeps
 * its list honest: a route added to routes.tsx without being listed there fails here.
 */
import { describe, expect, it } from 'vitest';
import { ROUTE_PATTERNS } from '../../tests/e2e/every-route-patterns';
import { ROUTES } from './routes';

describe('the all-routes e2e', () => {
  it('lists every route the app declares', () => {
    const missing = ROUTES.map((r) => r.path).filter((p) => !ROUTE_PATTERNS.includes(p));
    expect(missing).toEqual([]);
  });
});
