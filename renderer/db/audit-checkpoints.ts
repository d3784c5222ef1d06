/**
 * The clinic server's audit checkpoints (issue 18 point 2), as this computer last fetched them.
 *
 * Each computer reports the newest event of its audit chain to the server at every sync round
 * (renderer/sync/audit-checkpoint.ts), and the server keeps only the highest, never going back.
 * Deleting the newest events and moving the chain head back leaves a chain that checks out on its
 * own; it no longer reaches the checkpoint the server holds, and this check says which events are
 * missing. The server learns a position and a keyed link (HMAC under the clinic key): nothing
 * about the events themselves.
 */
import type { ChainReport, StoredAuditRow } from './audit-chain';
import type { KatDatabase } from './database';

/** `chain`: the events' device id (the audit chain), not the computer's sync device id. */
export type ServerCheckpoint = { chain: string; seq: number; hash: string; at: string };

export type ServerCheckpoints = {
  fetchedAt: string;
  /** By audit-chain device id. */
  byDevice: Record<string, ServerCheckpoint>;
  /** The server refused this computer's head (`chain`): it had reported a later event before. */
  refused?: { chain: string; at: string; message: string };
};

export const SERVER_CHECKPOINTS_KEY = 'audit-checkpoints:server';

export async function readServerCheckpoints(
  db: KatDatabase,
): Promise<ServerCheckpoints | undefined> {
  return (await db.meta.get(SERVER_CHECKPOINTS_KEY))?.value as ServerCheckpoints | undefined;
}

const day = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/**
 * Adds to a chain report what the server's checkpoints show: this computer's chain must reach
 * its checkpoint with the same link; another computer's chain that reaches its checkpoint must
 * hold the same link there (one that does not reach it yet may simply not have synced).
 */
export function checkServerCheckpoints(
  report: ChainReport,
  rows: StoredAuditRow[],
  checkpoints: ServerCheckpoints | undefined,
  localDeviceId: string | undefined,
): ChainReport {
  if (!checkpoints) return report;
  const devices = report.devices.map((d) => ({ ...d }));
  const find = (deviceId: string) => {
    let d = devices.find((x) => x.deviceId === deviceId);
    if (!d) {
      d = { deviceId, received: deviceId !== localDeviceId, events: 0 };
      devices.push(d);
    }
    return d;
  };
  for (const [deviceId, cp] of Object.entries(checkpoints.byDevice)) {
    const own = deviceId === localDeviceId;
    const chain = rows.filter((r) => r.deviceId === deviceId && r.seq !== undefined);
    const newest = chain.reduce((n, r) => Math.max(n, r.seq!), 0);
    const at = chain.find((r) => r.seq === cp.seq);
    const d = find(deviceId);
    if (d.firstBreak) continue;
    if (at && at.hash !== cp.hash)
      d.firstBreak = {
        seq: cp.seq,
        eventId: at.id,
        at: at.at,
        problem: `event ${cp.seq} is not the one the clinic server's checkpoint of ${day(cp.at)} UTC names: it was changed on this computer.`,
      };
    else if (!at && own)
      d.firstBreak = {
        seq: newest + 1,
        problem: `events ${newest + 1} to ${cp.seq} are missing: the clinic server holds a checkpoint at event ${cp.seq} (reported ${day(cp.at)} UTC), and this computer's log now ends at event ${newest}.`,
      };
  }
  const refused = checkpoints.refused;
  // Only this computer's own chain: a backup restored elsewhere carries the old one's note along.
  if (refused && localDeviceId && refused.chain === localDeviceId) {
    const d = find(localDeviceId);
    d.firstBreak ??= { seq: 0, problem: refused.message };
  }
  return { ...report, devices, ok: devices.every((d) => !d.firstBreak) };
}
