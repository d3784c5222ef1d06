/**
 * Per-user wrapped clinic keys: opaque strings the client sealed under each user's passphrase key
 * (and the recovery key). The server stores and serves them to enrolled devices of the clinic so a
 * user can sign in on a newly enrolled device; it cannot open them.
 */
import type { FastifyInstance } from 'fastify';
import { ENDPOINTS } from '../../shared/sync/protocol';
import { ProblemError } from '../problem';
import { type AppContext, defineRoute } from './define';

const unknownBlob = () =>
  new ProblemError(
    404,
    'key-blob-unknown',
    'No such key',
    'This clinic has no stored key under that name.',
  );

export function keyBlobRoutes(app: FastifyInstance, ctx: AppContext) {
  defineRoute(app, ctx, ENDPOINTS.listKeyBlobs, async ({ device }) => ({
    blobs: await ctx.store.listKeyBlobs(device.clinicId),
  }));

  defineRoute(app, ctx, ENDPOINTS.getKeyBlob, async ({ device, params }) => {
    const record = await ctx.store.getKeyBlob(device.clinicId, params.userKey);
    if (!record) throw unknownBlob();
    return record;
  });

  defineRoute(app, ctx, ENDPOINTS.putKeyBlob, async ({ device, params, body }) => {
    const result = await ctx.store.putKeyBlob(device.clinicId, {
      userKey: params.userKey,
      blob: body.blob,
      ifRevision: body.ifRevision,
      updatedAt: ctx.now().toISOString(),
      updatedBy: device.deviceId,
    });
    if (result.ok) return result.record;
    throw new ProblemError(
      409,
      'revision-mismatch',
      'Changed elsewhere',
      `This key was changed on another device meanwhile (it is now at revision ${result.current}). ` +
        'Reload it and try again; nothing was changed.',
    );
  });

  defineRoute(app, ctx, ENDPOINTS.deleteKeyBlob, async ({ device, params }) => {
    if (!(await ctx.store.deleteKeyBlob(device.clinicId, params.userKey))) throw unknownBlob();
  });
}
