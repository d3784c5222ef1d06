/**
 * At every sync round: report this computer's newest audit event to the clinic server, and keep
 * the checkpoints the server holds for every computer, so that "Verify audit chain" can tell when
 * the newest events were deleted (renderer/db/audit-checkpoints.ts explains the check).
 */
import type { AuditCheckpoint, DeviceList } from '../../shared/sync/protocol';
import { type ChainHead, chainHeadKey } from '../db/audit-chain';
import {
  SERVER_CHECKPOINTS_KEY,
  type ServerCheckpoints,
  readServerCheckpoints,
} from '../db/audit-checkpoints';
import type { KatDatabase } from '../db/database';
import { SyncHttpError } from './server-client';

export type CheckpointClient = {
  putAuditCheckpoint(checkpoint: AuditCheckpoint): Promise<unknown>;
  devices(): Promise<DeviceList>;
};

export async function exchangeAuditCheckpoints(
  db: KatDatabase,
  /** This computer's audit-chain id (the session's deviceId), not its sync device id. */
  chainDeviceId: string,
  client: CheckpointClient,
  now = new Date(),
): Promise<void> {
  const head = (await db.meta.get(chainHeadKey(chainDeviceId)))?.value as ChainHead | undefined;
  const before = await readServerCheckpoints(db);
  let refused = before?.refused;
  // The server already holds this head (as of the last round's list): nothing new to report.
  const held = before?.byDevice[chainDeviceId];
  const unchanged = !!head && held?.seq === head.seq && held.hash === head.hash;
  if (head && head.seq > 0 && !unchanged) {
    try {
      await client.putAuditCheckpoint({
        chain: chainDeviceId,
        seq: head.seq,
        hash: head.hash,
        at: now.toISOString(),
      });
    } catch (e) {
      if (e instanceof SyncHttpError && e.status === 404) return; // a server from before checkpoints
      if (!(e instanceof SyncHttpError && e.status === 409)) throw e;
      // Kept until an administrator sees it; the server's checkpoint shows the same on every check.
      refused = { chain: chainDeviceId, at: now.toISOString(), message: e.message };
    }
  }
  const { devices } = await client.devices();
  const byDevice: ServerCheckpoints['byDevice'] = {};
  for (const d of devices)
    if (d.auditCheckpoint) byDevice[d.auditCheckpoint.chain] = d.auditCheckpoint;
  const value: ServerCheckpoints = {
    fetchedAt: now.toISOString(),
    byDevice,
    ...(refused && { refused }),
  };
  await db.meta.put({ key: SERVER_CHECKPOINTS_KEY, value });
}
