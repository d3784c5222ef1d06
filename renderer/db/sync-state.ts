/**
 * What this device remembers about sync: the server it talks to and its place in the server's
 * sequence (meta rows), the problems to show in the sync panel, and which versions of each record
 * it exchanged. Tables come from migration v3; secrets (device token, private signing key) are NOT
 * here: they live in the platform keychain (renderer/sync/device-credentials.ts).
 */
import { type VersionVector, vvJoin, vvOf } from '../../shared/sync/version-vector';
import type { FieldBase } from '../sync/field-clocks';
import type { KatDatabase, RecordRow } from './database';

/** Where this device syncs. No secret: the token and signing key are in the keychain. */
export type SyncConfig = {
  serverUrl: string;
  clinicId: string;
  /** The server's id for this device (UUIDv7); not the HLC node id in the clinic meta. */
  deviceId: string;
  admin: boolean;
};

export type SyncPosition = {
  /** Highest server sequence fully applied here. */
  cursor: number;
  /** The server data epoch the cursor belongs to; a different one means the server was restored. */
  epoch: string;
};

/**
 * 'clock-drift': written by versions before hold-and-retry (the v5 upgrade turns those into held
 * bundles); 'clock-off': this computer's own clock is off (renderer/sync/own-clock.ts).
 */
export type SyncIssueKind =
  | 'quarantined-bundle'
  | 'rejected-change'
  | 'clock-drift'
  | 'clock-off'
  /** Two computers changed the same field of a record (not a note) at once: `lost` keeps the other. */
  | 'merge-conflict'
  /** Applied, with something worth knowing (a signature checked by content hash only). */
  | 'taken-with-note';

export type SyncIssue = {
  id?: number;
  at: string;
  kind: SyncIssueKind;
  /** Plain words for the sync panel. */
  message: string;
  bundleId?: string;
  seq?: number;
  fromDevice?: string;
  recordId?: string;
  /**
   * The bundle as pulled, kept for a clock-drift retry. Quarantined bundles keep theirs as
   * evidence; they are never applied and never uploaded again (SYNC.md rule 9).
   */
  bytes?: Uint8Array;
  /**
   * 'merge-conflict': the version whose value lost, whole, as a stored row (AES-GCM under the
   * clinic key, like every record at rest), and the fields it lost (names only).
   */
  lost?: Pick<RecordRow, 'kind' | 'keyVersion' | 'iv' | 'ct'>;
  fields?: string[];
  resolved?: boolean;
};

/**
 * What this device's version of one record has seen (shared/sync/version-vector.ts): per device
 * that wrote it, the clock of the latest write taken in, so every older version is recognised,
 * however many there were. For a draft also the per-field clocks and the stored row of the
 * version whose clocks are known exactly (its base: last applied or pushed; field-clocks.ts).
 * `versions` is the bounded list of remote clocks older rows kept; it is read as a vector.
 */
export type SeenRow = {
  recordId: string;
  vv?: VersionVector;
  versions?: string[];
  base?: FieldBase;
};

/**
 * The last version of a record this device pushed, and the server range that push spanned:
 * a remote version stored between `afterCursor` and `seq` was written without seeing ours.
 */
export type PushedRow = { recordId: string; hlc: string; afterCursor: number; seq: number };

export type SyncStatusRow = {
  lastSyncAt?: string;
  lastError?: string;
  /** When the server said an administrator removed this computer. */
  removedAt?: string;
};

/** The v3 sync tables (typed on KatDatabase), as one handle for the code that groups them. */
export const syncTables = (db: KatDatabase) => ({
  issues: db.syncIssues,
  seen: db.syncSeen,
  pushed: db.syncPushed,
});

export async function readSyncConfig(db: KatDatabase): Promise<SyncConfig | undefined> {
  return (await db.meta.get('sync-config'))?.value as SyncConfig | undefined;
}

export async function writeSyncConfig(db: KatDatabase, config: SyncConfig) {
  await db.meta.put({ key: 'sync-config', value: config });
}

export async function readPosition(db: KatDatabase): Promise<SyncPosition | undefined> {
  return (await db.meta.get('sync-position'))?.value as SyncPosition | undefined;
}

/** Call inside the transaction that writes the page the cursor covers (SYNC.md rule 7). */
export async function writePosition(db: KatDatabase, position: SyncPosition) {
  await db.meta.put({ key: 'sync-position', value: position });
}

export async function readSyncStatus(db: KatDatabase): Promise<SyncStatusRow> {
  return ((await db.meta.get('sync-status'))?.value as SyncStatusRow | undefined) ?? {};
}

export async function writeSyncStatus(db: KatDatabase, status: SyncStatusRow) {
  await db.meta.put({ key: 'sync-status', value: status });
}

export async function recordIssue(db: KatDatabase, issue: Omit<SyncIssue, 'id' | 'at'>) {
  await syncTables(db).issues.add({ ...issue, at: new Date().toISOString() });
}

/** Someone checked it (a merge conflict looked at): it leaves the sync panel's list. */
export async function resolveIssue(db: KatDatabase, id: number) {
  await syncTables(db).issues.update(id, { resolved: true });
}

export async function openIssues(db: KatDatabase): Promise<SyncIssue[]> {
  const all = await syncTables(db).issues.orderBy('at').reverse().toArray();
  return all.filter((i) => !i.resolved);
}

/** The vector a seen row holds (rows written before vectors hold a list of clocks). */
export function seenVector(row: SeenRow | undefined): VersionVector {
  return vvJoin(row?.vv, vvOf(...(row?.versions ?? [])));
}

/** The row with `seen` added to what it had seen. */
export function addSeen(row: SeenRow | undefined, recordId: string, seen: VersionVector): SeenRow {
  const { versions: _old, ...rest } = row ?? { recordId };
  return { ...rest, recordId, vv: vvJoin(seenVector(row), seen) };
}

/** Forget where we were: the next sync starts from the beginning of the server's sequence. */
export async function resetPosition(db: KatDatabase, epoch: string) {
  await writePosition(db, { cursor: 0, epoch });
}
