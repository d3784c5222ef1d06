/**
 * The clinic membership chain (shared/trust/README.md). The server stores signed statements it
 * cannot forge, and it checks every append with the same verifier the computers run, so a stolen
 * device token cannot wedge the chain with a statement every computer would refuse. Appends are
 * compare-and-swap on the length: two administrators never both take the same place. The first
 * entries of a clinic come from an administrator's computer.
 */
import type { FastifyInstance } from 'fastify';
import { ENDPOINTS } from '../../shared/sync/protocol';
import type { ChainState } from '../../shared/trust/chain-state';
import { extendChain } from '../../shared/trust/verify';
import { ProblemError } from '../problem';
import type { Store } from '../store/store';
import { type AppContext, defineRoute } from './define';

type Verified = { length: number; state: ChainState | undefined; problem?: string };

/** Verified chain states by clinic, extended as the stored chain grows (any instance may append). */
const verified = new WeakMap<Store, Map<string, Verified>>();

/** The verified state of the clinic's stored chain. */
export async function chainState(store: Store, clinicId: string): Promise<Verified> {
  let byClinic = verified.get(store);
  if (!byClinic) verified.set(store, (byClinic = new Map()));
  const cached = byClinic.get(clinicId);
  const from = cached && !cached.problem ? cached.length : 0;
  const { statements, length } = await store.readChain(clinicId, from);
  if (cached && length === cached.length) return cached;
  if (length < from) return recompute(store, clinicId, byClinic);
  const r = await extendChain(from ? cached!.state : undefined, statements, { clinicId });
  const next: Verified = {
    length: r.state?.length ?? 0,
    state: r.state,
    problem: r.problem?.message,
  };
  byClinic.set(clinicId, next);
  return next;
}

async function recompute(store: Store, clinicId: string, byClinic: Map<string, Verified>) {
  byClinic.delete(clinicId);
  return chainState(store, clinicId);
}

const moved = (length: number) =>
  new ProblemError(
    409,
    'chain-moved',
    'Membership changed meanwhile',
    `The clinic's membership record changed on another computer meanwhile (it now has ${length} ` +
      'entries). Nothing was added; your computer fetches the new entries and tries again.',
  );

export function chainRoutes(app: FastifyInstance, ctx: AppContext) {
  defineRoute(app, ctx, ENDPOINTS.readChain, async ({ device, query }) =>
    ctx.store.readChain(device.clinicId, query.from),
  );

  defineRoute(app, ctx, ENDPOINTS.appendChain, async ({ device, body, request }) => {
    const current = await chainState(ctx.store, device.clinicId);
    if (body.expectLength !== current.length) throw moved(current.length);
    if (current.problem)
      throw new ProblemError(
        409,
        'chain-damaged',
        'Membership record damaged',
        `The clinic's membership record stored on this server does not verify, so nothing can be ` +
          `added to it. ${current.problem} Tell whoever runs the clinic server.`,
      );
    if (current.length === 0 && !device.admin)
      throw new ProblemError(
        403,
        'admin-only',
        'Administrator device needed',
        "The clinic's membership record is started from an administrator's computer. Nothing " +
          'was added.',
      );
    const r = await extendChain(current.state, body.statements, { clinicId: device.clinicId });
    if (r.problem || r.added.length !== body.statements.length)
      throw new ProblemError(
        422,
        'chain-refused',
        'Membership statement refused',
        `${r.problem?.message ?? 'An entry repeats one the clinic already holds.'} Nothing was added.`,
      );
    const result = await ctx.store.appendChain(device.clinicId, current.length, body.statements);
    if (!result.ok) throw moved(result.length);
    request.log.info(
      { clinicId: device.clinicId, deviceId: device.deviceId, length: result.length },
      'membership appended',
    );
    return { length: result.length };
  });
}
