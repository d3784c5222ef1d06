/**
 * Clinic bootstrap and device enrollment. The first device of a clinic proves it may create one
 * with the operator's setup token; every later device needs a one-time code from an admin device
 * (valid 15 minutes). Either way the device registers its public signing key and receives its
 * token once; the server keeps only the token's hash. A computer that lost its credentials
 * re-enrolls with a code and names the device it replaces, which is revoked (renderer/sync/README.md,
 * "Re-enrollment").
 */
import type { FastifyInstance } from 'fastify';
import { importPublicKey } from '../../shared/sync/device-keys';
import { ENDPOINTS, LIMITS } from '../../shared/sync/protocol';
import { uuidv7 } from '../../shared/util/ids';
import { enrollmentCodeHash, newDeviceToken, newEnrollmentCode, sameSecret } from '../auth';
import { ProblemError } from '../problem';
import { liveSetupToken, writeSetupTokenFile } from '../setup-token';
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

const badSetupToken = () =>
  new ProblemError(
    403,
    'bad-setup-token',
    'Setup token not accepted',
    'The setup token is not correct. Whoever runs the clinic server finds it in the setup-token ' +
      "file in the server's data folder (server/README.md); copy it exactly.",
  );

const setupTokenSpent = () =>
  new ProblemError(
    403,
    'setup-token-spent',
    'Setup token already used',
    "This server's setup token was already used to register a clinic, and each token registers " +
      'one clinic only. To add this computer to that clinic, choose “Join a clinic” with an ' +
      'enrollment code from its administrator. To register another clinic here, whoever runs the ' +
      'server makes a new setup token.',
  );

export function clinicRoutes(app: FastifyInstance, ctx: AppContext) {
  defineRoute(app, ctx, ENDPOINTS.bootstrapClinic, async ({ body, request }) => {
    await ctx.throttle.guard('setup-token', request);
    const identity = await ctx.store.identity();
    const live = liveSetupToken(identity, ctx.setupToken);
    if (!live || !sameSecret(body.setupToken, live)) {
      await ctx.throttle.failed('setup-token', request);
      throw live ? badSetupToken() : setupTokenSpent();
    }
    await checkPublicKey(body.publicKey);
    const deviceId = uuidv7();
    const { token, tokenHash } = newDeviceToken(deviceId);
    const outcome = await ctx.store.createClinic(
      body.clinicId,
      {
        deviceId,
        clinicId: body.clinicId,
        publicKey: body.publicKey,
        tokenHash,
        admin: true,
        enrolledAt: ctx.now().toISOString(),
        enrolledBy: null,
      },
      { spendSetupToken: true },
    );
    if (outcome === 'setup-spent') throw setupTokenSpent();
    if (outcome === 'exists')
      throw new ProblemError(
        409,
        'clinic-exists',
        'Clinic already registered',
        'This clinic is already registered on this server. To add this device, enroll it with a ' +
          "code from the clinic administrator's device.",
      );
    request.log.info({ clinicId: body.clinicId, deviceId }, 'clinic registered');
    if (ctx.setupTokenFile)
      await writeSetupTokenFile(ctx.setupTokenFile, await ctx.store.identity()).catch(
        (e: unknown) =>
          request.log.error({ err: { message: String(e) } }, 'setup token file not updated'),
      );
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
    await ctx.throttle.guard('enrollment', request);
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
        ...(body.replaces ? { replaces: body.replaces } : {}),
      },
    );
    if (!result.ok) {
      await ctx.throttle.failed('enrollment', request);
      throw new ProblemError(
        403,
        `code-${result.reason}`,
        'Enrollment code not accepted',
        CODE_PROBLEMS[result.reason],
      );
    }
    const { clinicId, admin } = result.device;
    request.log.info({ clinicId, deviceId, admin }, 'device enrolled');
    if (result.device.replaces) {
      // Re-enrollment: the computer's old device stops syncing. Only a device of the code's own
      // clinic (the store keeps `replaces` only then); an administrator made the code for this,
      // so no other proof is asked. Their computer revokes it in the chain when confirming.
      const old = await ctx.store.getDevice(result.device.replaces);
      if (old?.clinicId === clinicId) {
        const revoked = await ctx.store.revokeDevice(
          clinicId,
          old.deviceId,
          ctx.now().toISOString(),
        );
        request.log.info(
          { clinicId, deviceId, replaced: old.deviceId, revoked: revoked.ok },
          'device re-enrolled',
        );
      }
    }
    return { clinicId, deviceId, token, admin, epoch: (await ctx.store.identity()).epoch };
  });
}
