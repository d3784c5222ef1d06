/**
 * Clinic bootstrap and device enrollment. The first device of a clinic proves it may create one
 * with the operator's setup token; every later device needs a one-time code from an admin device
 * (valid 15 minutes). Either way the device registers its public signing key and receives its
 * token once; the server keeps only the token's hash.
 */
import type { FastifyInstance } from 'fastify';
import { importPublicKey } from '../../shared/sync/device-keys';
import { ENDPOINTS, LIMITS } from '../../shared/sync/protocol';
import { uuidv7 } from '../../shared/util/ids';
import { enrollmentCodeHash, newDeviceToken, newEnrollmentCode, sameSecret } from '../auth';
import { ProblemError } from '../problem';
import { type AppContext, defineRoute } from './define';

async function checkPublicKey(spki: string) {
  try {
    await importPublicKey(spki);
  } catch {
    throw new ProblemError(
      400,
      'bad-public-key',
      'Unreadable device key',
      "The device's public signing key could not be read (an ECDSA P-256 key is expected). " +
        'Nothing was registered; update the app and try again.',
    );
  }
}

const CODE_PROBLEMS = {
  unknown:
    'That enrollment code is not valid. Check it for typos, or ask your administrator for a new one.',
  used: 'That enrollment code was already used; each code enrolls one device. Ask for a new one.',
  expired:
    'That enrollment code has expired (codes last 15 minutes). Ask your administrator for a new one.',
  'clinic-gone': 'The clinic of that enrollment code is no longer on this server.',
} as const;

export function clinicRoutes(app: FastifyInstance, ctx: AppContext) {
  defineRoute(app, ctx, ENDPOINTS.bootstrapClinic, async ({ body, request }) => {
    const identity = await ctx.store.identity();
    if (!sameSecret(body.setupToken, ctx.setupToken ?? identity.setupToken))
      throw new ProblemError(
        403,
        'bad-setup-token',
        'Setup token not accepted',
        "The setup token is not correct. It is shown in the clinic server's console when the " +
          'server starts; ask whoever runs the server.',
      );
    await checkPublicKey(body.publicKey);
    const deviceId = uuidv7();
    const { token, tokenHash } = newDeviceToken(deviceId);
    const outcome = await ctx.store.createClinic(body.clinicId, {
      deviceId,
      clinicId: body.clinicId,
      publicKey: body.publicKey,
      tokenHash,
      admin: true,
      enrolledAt: ctx.now().toISOString(),
      enrolledBy: null,
    });
    if (outcome === 'exists')
      throw new ProblemError(
        409,
        'clinic-exists',
        'Clinic already registered',
        'This clinic is already registered on this server. To add this device, enroll it with a ' +
          "code from the clinic administrator's device.",
      );
    request.log.info({ clinicId: body.clinicId, deviceId }, 'clinic registered');
    return { clinicId: body.clinicId, deviceId, token, admin: true, epoch: identity.epoch };
  });

  defineRoute(app, ctx, ENDPOINTS.createEnrollmentCode, async ({ device, body }) => {
    const code = newEnrollmentCode();
    const now = ctx.now();
    const expiresAt = new Date(now.getTime() + LIMITS.enrollmentCodeTtlMs).toISOString();
    await ctx.store.createEnrollmentCode({
      codeHash: enrollmentCodeHash(code),
      clinicId: device.clinicId,
      admin: body.admin,
      createdBy: device.deviceId,
      createdAt: now.toISOString(),
      expiresAt,
    });
    return { code, admin: body.admin, expiresAt };
  });

  defineRoute(app, ctx, ENDPOINTS.enroll, async ({ body, request }) => {
    await checkPublicKey(body.publicKey);
    const deviceId = uuidv7();
    const { token, tokenHash } = newDeviceToken(deviceId);
    const result = await ctx.store.redeemEnrollmentCode(
      enrollmentCodeHash(body.code),
      ctx.now().toISOString(),
      {
        deviceId,
        publicKey: body.publicKey,
        tokenHash,
        enrolledAt: ctx.now().toISOString(),
      },
    );
    if (!result.ok)
      throw new ProblemError(
        403,
        `code-${result.reason}`,
        'Enrollment code not accepted',
        CODE_PROBLEMS[result.reason],
      );
    const { clinicId, admin } = result.device;
    request.log.info({ clinicId, deviceId, admin }, 'device enrolled');
    return { clinicId, deviceId, token, admin, epoch: (await ctx.store.identity()).epoch };
  });
}
