/**
 * PUT /v1/devices/me/profile: a computer stores its own profile — name, last user, app version —
 * sealed under the clinic key (renderer/sync/device-profile.ts). The server keeps the string as
 * it came and hands it to the clinic's devices in GET /v1/devices; it cannot read it, and a
 * device can only ever set its own.
 */
import type { FastifyInstance } from 'fastify';
import { ENDPOINTS } from '../../shared/sync/protocol';
import { type AppContext, defineRoute } from './define';

export function deviceProfileRoutes(app: FastifyInstance, ctx: AppContext) {
  defineRoute(app, ctx, ENDPOINTS.putDeviceProfile, async ({ device, body }) => {
    await ctx.store.setDeviceProfile(device.deviceId, body.profile);
  });
}
