/**
 * PUT /v1/devices/me/audit-checkpoint: see below.
 *
 * PUT /v1/devices/me/profile: a computer stores its own profile — name, last user, app version —
 * sealed under the clinic key (renderer/sync/device-profile.ts). The server keeps the string as
 * it came and hands it to the clinic's devices in GET /v1/devices; it cannot read it, and a
 * device can only ever set its own.
 */
import type { FastifyInstance } from 'fastify';
import { ENDPOINTS } from '../../shared/sync/protocol';
import { ProblemError } from '../problem';
import { type AppContext, defineRoute } from './define';

export function deviceProfileRoutes(app: FastifyInstance, ctx: AppContext) {
  defineRoute(app, ctx, ENDPOINTS.putDeviceProfile, async ({ device, body }) => {
    await ctx.store.setDeviceProfile(device.deviceId, body.profile);
  });

  // Issue 18 point 2: the newest event of this computer's audit chain. Kept only forward, so an
  // insider who trims the newest events and moves the head back cannot move this back too.
  defineRoute(app, ctx, ENDPOINTS.putAuditCheckpoint, async ({ device, body }) => {
    const result = await ctx.store.setAuditCheckpoint(device.deviceId, body);
    if (result === 'behind')
      throw new ProblemError(
        409,
        'audit-checkpoint-behind',
        'Audit log went back',
        'This computer reported later audit events before. Its audit log has lost its newest ' +
          'events: an administrator should check the audit log now.',
      );
    if (result === 'other-chain')
      throw new ProblemError(
        409,
        'audit-checkpoint-other-chain',
        'Audit log started again',
        'This computer now keeps a new audit log (was it restored from a backup?), which the ' +
          'clinic server cannot anchor under its old connection. Connect it again (Settings → ' +
          'Clinic server → Join again); until then an administrator should check its audit log.',
      );
    if (result === 'forked')
      throw new ProblemError(
        409,
        'audit-checkpoint-forked',
        'Audit log changed',
        'This computer reported a different audit event at this place before. Its audit log was ' +
          'changed: an administrator should check the audit log now.',
      );
  });
}
