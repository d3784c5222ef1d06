/**
 * One sync round: pull every page after the cursor (verify, decrypt, apply with the cursor in one
 * transaction), then push the outbox as signed, encrypted bundles. Runs on the main thread behind
 * this class; it needs only the database, the open data key and the device secrets, so moving it
 * into a worker later changes no caller.
 *
 * Durable outbox (SYNC.md rule 6): a bundle is persisted as "in flight" with its id and bytes
 * before it is sent; a retry sends the same bytes, the server dedupes by id, and only after the
 * acknowledgement are the outbox rows it carried deleted — only rows at or below the pushed
 * sequence that belong to records it carried, so edits made meanwhile stay pending.
 */
import type { AnyRecord } from '../../shared/model';
import {
  type BundleChange,
  BundleRejectedError,
  decodeBundle,
  encodeBundle,
  splitChanges,
} from '../../shared/sync/bundle';
import { importPublicKey } from '../../shared/sync/device-keys';
import type { PullPage } from '../../shared/sync/protocol';
import { fromBase64 } from '../../shared/util/bytes';
import { uuidv7 } from '../../shared/util/ids';
import type { KatDatabase, OutboxRow } from '../db/database';
import { decryptRecord } from '../db/record-crypto';
import { type ApplyContext, type RemoteBundle, applyRemotePage } from '../db/sync-apply';
import {
  type SyncConfig,
  type SyncPosition,
  readPosition,
  syncTables,
  writePosition,
} from '../db/sync-state';
import type { DeviceSecrets } from './device-credentials';
import { type Fetch, ServerClient } from './server-client';
import { downloadKeyBlobs, uploadKeyBlobs } from './key-blobs';

export type SyncRoundReport = {
  pulled: number;
  applied: number;
  pushed: number;
  quarantined: number;
  conflicts: number;
  rejected: number;
  epochChanged: boolean;
};

type InFlight = {
  bundleId: string;
  bytes: Uint8Array;
  sent: { recordId: string; hlc: string }[];
  maxSeq: number;
  afterCursor: number;
};

export type SyncEngineDeps = {
  db: KatDatabase;
  context: Omit<ApplyContext, 'db'>;
  config: SyncConfig;
  secrets: DeviceSecrets;
  fetch?: Fetch;
  /** Records written from other devices (the patient index listens). */
  onApplied?: (records: AnyRecord[]) => void;
  /** Bundle split limits, smaller in tests. */
  split?: { maxChanges?: number; maxBytes?: number };
};

export class SyncEngine {
  private publicKeys = new Map<string, CryptoKey>();

  constructor(private readonly deps: SyncEngineDeps) {}

  client(signal?: AbortSignal) {
    const { config, secrets, fetch } = this.deps;
    return new ServerClient(config.serverUrl, secrets.token, fetch, signal);
  }

  async syncOnce(signal?: AbortSignal): Promise<SyncRoundReport> {
    const client = this.client(signal);
    const report: SyncRoundReport = {
      pulled: 0,
      applied: 0,
      pushed: 0,
      quarantined: 0,
      conflicts: 0,
      rejected: 0,
      epochChanged: false,
    };
    await this.pull(client, report);
    await this.push(client, report);
    const { db, config, context } = this.deps;
    await uploadKeyBlobs(db, client, config.clinicId);
    await downloadKeyBlobs(db, client, config.clinicId, context.dataKey);
    return report;
  }

  private async pull(client: ServerClient, report: SyncRoundReport) {
    const { db } = this.deps;
    for (;;) {
      const position = await this.position();
      const page = await client.pull(position.cursor);
      if (page.epoch !== position.epoch || position.cursor > page.head) {
        await this.reofferEverything(page.epoch);
        report.epochChanged = true;
        continue;
      }
      const bundles = await this.decodePage(client, page, report);
      const result = await applyRemotePage({ db, ...this.deps.context }, bundles, {
        cursor: page.cursor,
        epoch: page.epoch,
      });
      report.pulled += page.bundles.length;
      report.applied += result.written.length;
      report.conflicts += result.conflicts;
      report.rejected += result.rejected;
      if (result.written.length) this.deps.onApplied?.(result.written);
      if (!page.hasMore || page.cursor === position.cursor) return;
    }
  }

  private async position(): Promise<SyncPosition> {
    return (await readPosition(this.deps.db)) ?? { cursor: 0, epoch: '' };
  }

  private async decodePage(
    client: ServerClient,
    page: PullPage,
    report: SyncRoundReport,
  ): Promise<RemoteBundle[]> {
    const { db, config, context } = this.deps;
    const out: RemoteBundle[] = [];
    for (const b of page.bundles) {
      if (b.deviceId === config.deviceId) continue; // our own, already applied here
      const bytes = fromBase64(b.bytes);
      try {
        const decoded = await decodeBundle(bytes, {
          clinicId: config.clinicId,
          dataKeyFor: (v) => (v === context.keyVersion ? context.dataKey : undefined),
          publicKeyFor: (id) => this.publicKeyFor(client, id),
        });
        out.push({
          seq: b.seq,
          bundleId: b.bundleId,
          fromDevice: b.deviceId,
          bytes,
          changes: decoded.changes,
        });
      } catch (e) {
        if (!(e instanceof BundleRejectedError)) throw e;
        report.quarantined++;
        await syncTables(db).issues.add({
          at: new Date().toISOString(),
          kind: 'quarantined-bundle',
          message: e.message,
          bundleId: b.bundleId,
          seq: b.seq,
          fromDevice: b.deviceId,
          bytes,
        });
      }
    }
    return out;
  }

  private async publicKeyFor(client: ServerClient, deviceId: string) {
    if (!this.publicKeys.has(deviceId)) {
      const { devices } = await client.devices();
      for (const d of devices)
        if (!this.publicKeys.has(d.deviceId))
          this.publicKeys.set(d.deviceId, await importPublicKey(d.publicKey));
    }
    return this.publicKeys.get(deviceId);
  }

  /** The server went back in time (restored): offer every record we hold again (SYNC.md rule 8). */
  private async reofferEverything(epoch: string) {
    const { db } = this.deps;
    const t = syncTables(db);
    await db.transaction('rw', [db.records, db.outbox, db.meta, t.pushed], async () => {
      const rows = await db.records.toArray();
      await db.outbox.bulkAdd(
        rows.map((r) => ({ changeId: uuidv7(), recordId: r.id, kind: r.kind, hlc: r.updatedAt })),
      );
      await t.pushed.clear();
      await db.meta.delete('sync-inflight');
      await writePosition(db, { cursor: 0, epoch });
    });
  }

  private async push(client: ServerClient, report: SyncRoundReport) {
    for (;;) {
      const inflight = (await this.deps.db.meta.get('sync-inflight'))?.value as
        InFlight | undefined;
      const next = inflight ?? (await this.nextBundle());
      if (!next) return;
      const ack = await client.push(next.bytes);
      await this.acknowledge(next, ack.seq);
      report.pushed += next.sent.length;
    }
  }

  /** Latest state of every record with pending changes, one change per record, one bundle's worth. */
  private async nextBundle(): Promise<InFlight | undefined> {
    const { db, context, config } = this.deps;
    const rows = await db.outbox.orderBy('seq').toArray();
    if (rows.length === 0) return undefined;
    const latest = new Map<string, OutboxRow>();
    for (const r of rows) latest.set(r.recordId, r);
    const changes: (BundleChange & { seq: number })[] = [];
    const stale: number[] = [];
    for (const [recordId, row] of latest) {
      const stored = await db.records.get(recordId);
      if (!stored) {
        stale.push(...rows.filter((r) => r.recordId === recordId).map((r) => r.seq!));
        continue;
      }
      const record = await decryptRecord(stored, context.dataKey, context.clinicId);
      changes.push({ changeId: row.changeId, record, hlc: record.updatedAt, seq: row.seq! });
    }
    if (stale.length) await db.outbox.bulkDelete(stale);
    if (changes.length === 0) return undefined;
    const [group] = splitChanges(changes, this.deps.split);
    const bundle = await encodeBundle({
      clinicId: config.clinicId,
      deviceId: config.deviceId,
      keyVersion: context.keyVersion,
      dataKey: context.dataKey,
      signingKey: this.deps.secrets.signingKey,
      changes: group!.map(({ changeId, record, hlc }) => ({ changeId, record, hlc })),
    });
    const inflight: InFlight = {
      bundleId: bundle.header.bundleId,
      bytes: bundle.bytes,
      sent: group!.map((c) => ({ recordId: (c.record as AnyRecord).id, hlc: c.hlc })),
      maxSeq: rows[rows.length - 1]!.seq!,
      afterCursor: (await this.position()).cursor,
    };
    await db.meta.put({ key: 'sync-inflight', value: inflight });
    return inflight;
  }

  private async acknowledge(sent: InFlight, seq: number) {
    const { db } = this.deps;
    const t = syncTables(db);
    const carried = new Set(sent.sent.map((s) => s.recordId));
    await db.transaction('rw', [db.outbox, db.meta, t.pushed], async () => {
      // The bundle carried each record's state as read AFTER these rows were: every row up to
      // maxSeq is in it, even one whose clock is newer than a signed version merged in since.
      // Rows added later (edits during the sync) have a higher seq and stay pending.
      const rows = await db.outbox.where('seq').belowOrEqual(sent.maxSeq).toArray();
      const done = rows.filter((r) => carried.has(r.recordId));
      await db.outbox.bulkDelete(done.map((r) => r.seq!));
      await t.pushed.bulkPut(
        sent.sent.map((s) => ({
          recordId: s.recordId,
          hlc: s.hlc,
          afterCursor: sent.afterCursor,
          seq,
        })),
      );
      await db.meta.delete('sync-inflight');
    });
  }
}
