import type { FastifyInstance } from 'fastify';
import { type DeviceInfo, ENDPOINTS } from '../../shared/sync/protocol';
import { ProblemError } from '../problem';
import type { DeviceRecord } from '../store/store';
import { type AppContext, defineRoute } from './define';

const info = (d: DeviceRecord): DeviceInfo => ({
  deviceId: d.deviceId,
  publicKey: d.publicKey,
  admin: d.admin,
  enrolledAt: d.enrolledAt,
  enrolledBy: d.enrolledBy,
  revokedAt: d.revokedAt,
  profile: d.profile ?? null,
  lastSeenAt: d.lastSeenAt ?? null,
  lastSyncAt: d.lastSyncAt ?? null,
  replaces: d.replaces ?? null,
  auditCheckpoint: d.auditCheckpoint ?? null,
});

export function deviceRoutes(app: FastifyInstance, ctx: AppContext) {
  // Every device needs the others' public keys to verify the bundles it pulls.
  defineRoute(app, ctx, ENDPOINTS.listDevices, async ({ device }) => ({
    devices: (await ctx.store.listDevices(device.clinicId)).map((d) => info(ctx.activity.with(d))),
  }));

  defineRoute(app, ctx, ENDPOINTS.revokeDevice, async ({ device, params, request }) => {
    const result = await ctx.store.revokeDevice(
      device.clinicId,
      params.deviceId,
      ctx.now().toISOString(),
    );
    if (result.ok) {
      request.log.info(
        { clinicId: device.clinicId, revoked: params.deviceId, by: device.deviceId },
        'device revoked',
      );
      return info(result.device);
    }
    if (result.reason === 'last-admin')
      throw new ProblemError(
        409,
        'last-admin',
        'Last administrator device',
        "This is the clinic's last administrator device, so it cannot be removed. Enroll another " +
          'administrator device first.',
      );
    throw new ProblemError(
      404,
      'device-unknown',
      'No such device',
      'This clinic has no device with that id.',
    );
  });
}
