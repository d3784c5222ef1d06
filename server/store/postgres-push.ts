/**
 * Group commit for pushes to PostgreSQL. Every commit waits for a WAL flush, and a clinic's pushes
 * are serialized by the row lock on its sequence, so one transaction per bundle caps a clinic at
 * one fsync per bundle (~700/s on a fast disk). Instead, the pushes that arrive for a clinic while
 * its previous transaction is committing wait in a queue and go in together: one lock, one
 * duplicate check, one multi-row insert, one commit. Each push is still acknowledged only after
 * the commit that holds it, and a failed transaction fails every push in it (nothing half-stored).
 */
import type { BundleToStore, PutBundleResult } from './store';

/** Runs `work` in one transaction on one connection (the store's tx helper). */
export type Tx = <R>(work: (q: Query) => Promise<R>) => Promise<R>;

type Waiting = {
  bundle: BundleToStore;
  resolve: (r: PutBundleResult) => void;
  reject: (e: unknown) => void;
};

/** Keeps one statement's parameters well under PostgreSQL's 65,535 and its memory modest. */
const MAX_BATCH = 256;
const MAX_BATCH_BYTES = 32 * 1024 * 1024;

export class PushBatcher {
  private readonly queues = new Map<string, Waiting[]>();

  constructor(
    private readonly tx: Tx,
    private readonly table: (name: string) => string,
    private readonly beforeCommit?: () => Promise<void>,
  ) {}

  put(bundle: BundleToStore): Promise<PutBundleResult> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(bundle.clinicId);
      if (queue) {
        queue.push({ bundle, resolve, reject });
        return;
      }
      // This clinic has no transaction in flight: start one; later arrivals queue behind it.
      this.queues.set(bundle.clinicId, []);
      void this.run(bundle.clinicId, [{ bundle, resolve, reject }]);
    });
  }

  private async run(clinicId: string, batch: Waiting[]) {
    for (;;) {
      try {
        const results = await this.commit(
          clinicId,
          batch.map((w) => w.bundle),
        );
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (e) {
        for (const w of batch) w.reject(e);
      }
      const queue = this.queues.get(clinicId)!;
      if (queue.length === 0) {
        this.queues.delete(clinicId);
        return;
      }
      batch = takeBatch(queue);
    }
  }

  private async commit(clinicId: string, bundles: BundleToStore[]): Promise<PutBundleResult[]> {
    // A retry of a stored bundle is rare: try the one-statement insert first, and only when some
    // id turns out to be stored already roll it back and take the careful path.
    const fast = await this.tx((q) => this.insertAll(q, clinicId, bundles)).catch((e: unknown) => {
      if (e instanceof AlreadyStored) return undefined;
      throw e;
    });
    return fast ?? this.tx((q) => this.insertChecked(q, clinicId, bundles));
  }

  /**
   * One statement takes the batch's sequences (row-locking the clinic until COMMIT, so a reader
   * never sees seq n+1 while n is in flight) and inserts every row. ON CONFLICT consults the
   * unique index, which sees ids committed by other instances while we waited for the lock.
   */
  private async insertAll(q: Query, clinicId: string, bundles: BundleToStore[]) {
    const { fresh, results, bindRow } = plan(bundles, 0);
    const values: unknown[] = [clinicId, fresh.length];
    const rows = fresh.map((b, i) => bindRow(values, b, i + 1));
    const t = this.table;
    const inserted = await q(
      `WITH next AS (
         UPDATE ${t('clinics')} SET last_seq = last_seq + $2 WHERE clinic_id = $1
         RETURNING last_seq - $2 AS base)
       INSERT INTO ${t('bundles')}
         (clinic_id, seq, bundle_id, device_id, key_version, protocol, size, bytes)
       SELECT $1, next.base + v.n, v.bundle_id, v.device_id, v.key_version, v.protocol, v.size, v.bytes
       FROM next, (VALUES ${rows.join(', ')})
         AS v (n, bundle_id, device_id, key_version, protocol, size, bytes)
       ON CONFLICT (clinic_id, bundle_id) DO NOTHING
       RETURNING seq`,
      values,
    );
    if (inserted.length !== fresh.length) throw new AlreadyStored();
    const base = Math.min(...inserted.map((r) => Number(r.seq))) - 1;
    await this.beforeCommit?.();
    return results.map((r) => ({ ...r, seq: r.seq + base }));
  }

  /** Under the clinic's lock: which ids are stored already, then insert the rest. */
  private async insertChecked(q: Query, clinicId: string, bundles: BundleToStore[]) {
    const t = this.table;
    const [clinic] = await q(
      `SELECT last_seq FROM ${t('clinics')} WHERE clinic_id = $1 FOR UPDATE`,
      [clinicId],
    );
    if (!clinic) throw new Error(`Clinic ${clinicId} is not on this server.`);
    const known = await q(
      `SELECT bundle_id, seq, device_id FROM ${t('bundles')}
       WHERE clinic_id = $1 AND bundle_id = ANY($2::uuid[])`,
      [clinicId, [...new Set(bundles.map((b) => b.bundleId))]],
    );
    const stored = new Map(
      known.map((r) => [
        r.bundle_id as string,
        { seq: Number(r.seq), duplicate: true, storedBy: r.device_id as string },
      ]),
    );
    const last = Number(clinic.last_seq);
    const { fresh, results, bindRow } = plan(bundles, last, stored);
    if (fresh.length > 0) {
      const values: unknown[] = [clinicId];
      const rows = fresh.map((b, i) => bindRow(values, b, last + i + 1));
      await q(
        `INSERT INTO ${t('bundles')}
           (clinic_id, seq, bundle_id, device_id, key_version, protocol, size, bytes)
         SELECT $1, v.* FROM (VALUES ${rows.join(', ')}) AS v`,
        values,
      );
      await q(`UPDATE ${t('clinics')} SET last_seq = $2 WHERE clinic_id = $1`, [
        clinicId,
        last + fresh.length,
      ]);
      await this.beforeCommit?.();
    }
    return results;
  }
}

type Query = (text: string, values?: unknown[]) => Promise<Record<string, unknown>[]>;

class AlreadyStored extends Error {}

/**
 * Which bundles are new (in arrival order, numbered from `last` + 1) and each push's answer; a
 * repeat of an id — stored before, or earlier in this batch — is answered with the first copy.
 */
function plan(bundles: BundleToStore[], last: number, stored = new Map<string, PutBundleResult>()) {
  const fresh: BundleToStore[] = [];
  const results = bundles.map((b): PutBundleResult => {
    const earlier = stored.get(b.bundleId);
    if (earlier) return { ...earlier, duplicate: true };
    fresh.push(b);
    const first = { seq: last + fresh.length, duplicate: false, storedBy: b.deviceId };
    stored.set(b.bundleId, first);
    return first;
  });
  const bindRow = (values: unknown[], b: BundleToStore, n: number) => {
    const at = values.length;
    values.push(n, b.bundleId, b.deviceId, b.keyVersion, b.protocol, b.bytes.length);
    values.push(Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength));
    const p = (k: number, type: string) => `$${at + k}::${type}`;
    return `(${p(1, 'bigint')}, ${p(2, 'uuid')}, ${p(3, 'uuid')}, ${p(4, 'int')}, ${p(5, 'int')}, ${p(6, 'int')}, ${p(7, 'bytea')})`;
  };
  return { fresh, results, bindRow };
}

function takeBatch(queue: Waiting[]): Waiting[] {
  let bytes = 0;
  let n = 0;
  while (n < queue.length && n < MAX_BATCH) {
    bytes += queue[n]!.bundle.bytes.length;
    if (n > 0 && bytes > MAX_BATCH_BYTES) break;
    n += 1;
  }
  return queue.splice(0, n);
}
