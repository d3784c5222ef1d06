/**
 * Per-user wrapped clinic keys: opaque strings the client sealed under each user's passphrase key
 * (and the recovery key). The server stores and serves them to enrolled devices of the clinic so a
 * user can sign in on a newly enrolled device; it cannot open them.
 *
 * Who may write which blob (issue 13): computers check every row they take against the membership
 * chain anyway, but the server defends itself too, so a stolen device token cannot overwrite its
 * colleagues' rows. A member's blob (`member-<userId>`) is written only by a computer the chain
 * enrolled for that member, or an administrator's computer (the server's admin flag, or a chain
 * owner who is an active administrator); the recovery holder and the names clinics used before
 * the chain only by an administrator's computer; a row waiting for confirmation
 * (`pending-<userId>`) by any computer of the clinic. Every write names the revision it replaces.
 */
import type { FastifyInstance } from 'fastify';
import { ENDPOINTS } from '../../shared/sync/protocol';
import { currentMember, isActiveAdmin } from '../../shared/trust/chain-state';
import { ProblemError } from '../problem';
import type { DeviceRecord, Store } from '../store/store';
import { chainState } from './chain';
import { type AppContext, defineRoute } from './define';

const MEMBER_BLOB =
  /^(member|pending)-([0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})$/;
const ADMIN_BLOB = /^(clinic-recovery|login-[0-9a-f]{40})$/;

async function writeRefusal(
  store: Store,
  device: DeviceRecord,
  userKey: string,
): Promise<string | undefined> {
  const member = MEMBER_BLOB.exec(userKey);
  if (!member && !ADMIN_BLOB.test(userKey))
    return 'This is not a key name the clinic server keeps. Update KAT Chart on this computer.';
  if (member?.[1] === 'pending') return undefined;
  const { state } = await chainState(store, device.clinicId);
  const enrolled = state?.devices.get(device.deviceId);
  const owner = enrolled && !enrolled.revoked ? enrolled.owner : undefined;
  const admin = device.admin || (!!owner && isActiveAdmin(currentMember(state!, owner)));
  if (admin) return undefined;
  if (member && owner === member[2]) return undefined;
  return member
    ? "Only that person's own computers and administrators' computers may change their keys. Nothing was changed."
    : "Only an administrator's computer may change this key. Nothing was changed.";
}

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

  defineRoute(app, ctx, ENDPOINTS.putKeyBlob, async ({ device, params, body, request }) => {
    const refusal = await writeRefusal(ctx.store, device, params.userKey);
    if (refusal) {
      request.log.warn(
        { clinicId: device.clinicId, deviceId: device.deviceId },
        'key-blob write refused',
      );
      throw new ProblemError(403, 'key-blob-not-yours', 'Not this computer’s key', refusal);
    }
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
