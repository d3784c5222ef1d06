/**
 * An administrator's computer that lost its sync credentials re-enrolls itself, without a code
 * (shared/trust/self-reenroll.ts; renderer/sync/README.md, "Re-enrollment"). Nobody else is asked,
 * so the request must prove what a code from another administrator proved:
 *
 * - it is signed by the identity key the membership chain stored here names for `userId`, and
 *   `userId` is an active administrator at the chain's head (the server checks the chain with the
 *   computers' own verifier; a chain that does not verify accepts nothing);
 * - `replaces` is a computer the chain enrolls for that administrator, not revoked, and a device
 *   of the clinic on this server — so the request can only swap that administrator's own computer;
 * - it is fresh (`at` within 5 minutes of the server's clock) and used once: the new key may not
 *   be a device of the clinic already, so a replayed request enrolls nothing;
 * - failures count against the address like wrong enrollment codes (throttle).
 *
 * A stolen device token signs nothing with an identity key, so it cannot use this. A hostile server
 * gains nothing it did not have: the new computer is trusted by the other computers only through
 * the chain statements the administrator's computer signs afterwards (enroll the new key, revoke
 * the old one), exactly as when another administrator confirms a code.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { importPublicKey, verifyBytes } from '../../shared/sync/device-keys';
import { ENDPOINTS, LIMITS } from '../../shared/sync/protocol';
import { currentMember, isActiveAdmin } from '../../shared/trust/chain-state';
import { SELF_REENROLL_WINDOW_MS, selfReenrollBytes } from '../../shared/trust/self-reenroll';
import { fromBase64 } from '../../shared/util/bytes';
import { uuidv7 } from '../../shared/util/ids';
import { enrollmentCodeHash, newDeviceToken, newEnrollmentCode } from '../auth';
import { ProblemError } from '../problem';
import { chainState } from './chain';
import { type AppContext, defineRoute } from './define';

const REFUSED: Record<string, string> = {
  stale:
    'The request was signed more than 5 minutes from the server’s time. Check this computer’s ' +
    'clock and try again.',
  chain:
    'The clinic’s membership record on this server cannot be checked, so no computer can ' +
    'reconnect this way. Tell whoever runs the clinic server.',
  'not-admin':
    'Only a current administrator of the clinic can reconnect a computer without an enrollment ' +
    'code. Ask an administrator for a code.',
  signature: 'The administrator’s signature on the request does not verify. Nothing was changed.',
  computer:
    'This computer is not one the clinic’s membership record lists for this administrator (or it ' +
    'was removed). Ask an administrator for an enrollment code.',
  used: 'This request was already used. Nothing was changed.',
};

export function selfReenrollRoutes(app: FastifyInstance, ctx: AppContext) {
  defineRoute(app, ctx, ENDPOINTS.selfReenroll, async ({ body, request }) => {
    await ctx.throttle.guard('enrollment', request);
    const refuse = async (why: keyof typeof REFUSED & string, req: FastifyRequest) => {
      await ctx.throttle.failed('enrollment', req);
      req.log.warn({ clinicId: body.clinicId, why }, 'self re-enrollment refused');
      return new ProblemError(403, `reenroll-${why}`, 'Reconnection not accepted', REFUSED[why]!);
    };
    const now = ctx.now();
    const at = Date.parse(body.at);
    if (!(Math.abs(now.getTime() - at) <= SELF_REENROLL_WINDOW_MS))
      throw await refuse('stale', request);
    const chain = await chainState(ctx.store, body.clinicId);
    if (!chain.state || chain.problem) throw await refuse('chain', request);
    const member = currentMember(chain.state, body.userId);
    if (!isActiveAdmin(member)) throw await refuse('not-admin', request);
    let signed = false;
    try {
      const key = await importPublicKey(member!.keys.signingKey);
      signed = await verifyBytes(key, fromBase64(body.sig), selfReenrollBytes(body));
    } catch {
      signed = false;
    }
    if (!signed) throw await refuse('signature', request);
    const old = await ctx.store.getDevice(body.replaces);
    const chained = chain.state.devices.get(body.replaces);
    if (
      !old ||
      old.clinicId !== body.clinicId ||
      !chained ||
      chained.owner !== body.userId ||
      chained.revoked
    )
      throw await refuse('computer', request);
    try {
      await importPublicKey(body.publicKey);
    } catch {
      throw new ProblemError(
        400,
        'bad-public-key',
        'Unreadable device key',
        "The device's public signing key could not be read. Nothing was registered.",
      );
    }
    const devices = await ctx.store.listDevices(body.clinicId);
    if (devices.some((d) => d.publicKey === body.publicKey)) throw await refuse('used', request);

    // Enrolled the way a code enrolls (one store path for both stores): a one-time code made on
    // behalf of the replaced computer and spent at once, an administrator's device.
    const code = newEnrollmentCode();
    const createdAt = now.toISOString();
    await ctx.store.createEnrollmentCode({
      codeHash: enrollmentCodeHash(code),
      clinicId: body.clinicId,
      admin: true,
      createdBy: old.deviceId,
      createdAt,
      expiresAt: new Date(now.getTime() + LIMITS.enrollmentCodeTtlMs).toISOString(),
    });
    const deviceId = uuidv7();
    const { token, tokenHash } = newDeviceToken(deviceId);
    const result = await ctx.store.redeemEnrollmentCode(enrollmentCodeHash(code), createdAt, {
      deviceId,
      publicKey: body.publicKey,
      tokenHash,
      enrolledAt: createdAt,
      replaces: old.deviceId,
    });
    if (!result.ok) throw await refuse('used', request);
    await ctx.store.revokeDevice(body.clinicId, old.deviceId, createdAt);
    request.log.info(
      { clinicId: body.clinicId, deviceId, replaced: old.deviceId, by: body.userId },
      'administrator computer re-enrolled itself',
    );
    return {
      clinicId: body.clinicId,
      deviceId,
      token,
      admin: true,
      epoch: (await ctx.store.identity()).epoch,
    };
  });
}
