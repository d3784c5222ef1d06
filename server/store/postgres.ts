/**
 * PostgreSQL store (DATABASE_URL): for clinics that outgrow one machine, with any number of
 * stateless server instances on one database. Nothing is cached between requests, so a revoke on
 * one instance is refused on every instance at once. Sequence assignment: see postgres-schema.ts
 * and server/README.md.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Query, type Row, device, iso, unavailable } from './postgres-rows';
import { PushBatcher } from './postgres-push';
import * as keyBlobs from './postgres-key-blobs';
import { SCHEMA_NAME, migrate } from './postgres-schema';
import {
  type AppendChainResult,
  type AuditCheckpointRecord,
  type BundleToStore,
  type CheckpointResult,
  type CreateClinicOutcome,
  type DeviceActivity,
  type DeviceRecord,
  type EnrollmentCodeRecord,
  type KeyBlobRecord,
  type NewDevice,
  type PullLimits,
  type PullResult,
  type PutBundleResult,
  type PutKeyBlob,
  type PutKeyBlobResult,
  type RedeemResult,
  type RevokeResult,
  type ServerIdentity,
  type Store,
  type StoreStats,
  checkpointOutcome,
  pageLength,
} from './store';

export type PostgresStoreOptions = {
  connectionString: string;
  /** Tables live in this schema (default `kat`); tests use a fresh one per run. */
  schema?: string;
  restored?: boolean;
  poolSize?: number;
  log?: (message: string) => void;
  /** Fault injection for tests: runs inside each push transaction, after the sequences are taken. */
  beforeCommit?: () => Promise<void>;
};

/** Rolls the registration back: the setup token was spent meanwhile. */
class SetupSpent extends Error {}

export class PostgresStore implements Store {
  readonly kind = 'postgres';
  private readonly t: (table: string) => string;
  private readonly pushes: PushBatcher;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresStoreOptions,
    schema: string,
  ) {
    this.t = (table) => `"${schema}".${table}`;
    this.pushes = new PushBatcher((work) => this.tx(work), this.t, options.beforeCommit);
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema ?? 'kat';
    if (!SCHEMA_NAME.test(schema))
      throw new Error(`"${schema}" is not a usable schema name (lowercase letters, digits, _).`);
    const log = options.log ?? ((m: string) => console.warn(m));
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
    });
    pool.on('error', (e) => log(`PostgreSQL connection error: ${e.message}`));
    try {
      const client = await pool.connect();
      try {
        const note = await migrate(client, schema, !!options.restored);
        if (note) log(note);
      } finally {
        client.release();
      }
    } catch (e) {
      await pool.end();
      throw e;
    }
    return new PostgresStore(pool, options, schema);
  }

  /** `name` makes it a prepared statement, parsed and planned once per connection. */
  private async query(text: string, values: unknown[] = [], name?: string): Promise<Row[]> {
    try {
      return (await this.pool.query({ text, values, name })).rows as Row[];
    } catch (e) {
      throw unavailable(e);
    }
  }

  /** One transaction on one connection; rolled back on any error. */
  private async tx<R>(work: (q: Query) => Promise<R>, mode = '') {
    const client = await this.pool.connect().catch((e: unknown) => {
      throw unavailable(e);
    });
    try {
      await client.query(`BEGIN ${mode}`);
      const result = await work(
        async (text, values = []) => (await client.query(text, values)).rows,
      );
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e instanceof Error && 'code' in e ? unavailable(e) : e;
    } finally {
      client.release();
    }
  }

  async identity(): Promise<ServerIdentity> {
    const [r] = await this.query(
      `SELECT epoch, epoch_since, setup_token, setup_spent_at, setup_renewed_at FROM ${this.t('meta')}`,
    );
    return {
      epoch: r!.epoch as string,
      epochSince: iso(r!.epoch_since)!,
      setupToken: r!.setup_token as string,
      setupSpentAt: iso(r!.setup_spent_at),
      setupRenewedAt: iso(r!.setup_renewed_at),
    };
  }

  async renewSetupToken(): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    await this.query(
      `UPDATE ${this.t('meta')} SET setup_token = $1, setup_spent_at = NULL, setup_renewed_at = now()`,
      [token],
    );
    return token;
  }

  async createClinic(
    clinicId: string,
    first: NewDevice,
    options: { spendSetupToken?: boolean } = {},
  ): Promise<CreateClinicOutcome> {
    try {
      return await this.tx(async (q) => {
        const made = await q(
          `INSERT INTO ${this.t('clinics')} (clinic_id, created_at) VALUES ($1, $2)
           ON CONFLICT DO NOTHING RETURNING clinic_id`,
          [clinicId, first.enrolledAt],
        );
        if (made.length === 0) return 'exists';
        if (options.spendSetupToken) {
          // The row lock serializes bootstraps on every instance: one token, one clinic.
          const spent = await q(
            `UPDATE ${this.t('meta')} SET setup_spent_at = $1 WHERE setup_spent_at IS NULL
             RETURNING 1`,
            [first.enrolledAt],
          );
          if (spent.length === 0) throw new SetupSpent();
        }
        await this.insertDevice(q, { ...first, clinicId });
        return 'created';
      });
    } catch (e) {
      if (e instanceof SetupSpent) return 'setup-spent';
      throw e;
    }
  }

  private insertDevice(q: Query, d: NewDevice) {
    return q(
      `INSERT INTO ${this.t('devices')}
         (device_id, clinic_id, public_key, token_hash, admin, enrolled_at, enrolled_by, replaces)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        d.deviceId,
        d.clinicId,
        d.publicKey,
        d.tokenHash,
        d.admin,
        d.enrolledAt,
        d.enrolledBy,
        d.replaces ?? null,
      ],
    );
  }

  async getDevice(deviceId: string): Promise<DeviceRecord | undefined> {
    // Every authenticated request runs this (no cache, so a revoke counts at once): prepared.
    const rows = await this.query(
      `SELECT * FROM ${this.t('devices')} WHERE device_id = $1`,
      [deviceId],
      'kat_get_device',
    );
    return rows[0] ? device(rows[0]) : undefined;
  }

  async listDevices(clinicId: string): Promise<DeviceRecord[]> {
    const rows = await this.query(
      `SELECT * FROM ${this.t('devices')} WHERE clinic_id = $1 ORDER BY enrolled_at, device_id`,
      [clinicId],
    );
    return rows.map(device);
  }

  async createEnrollmentCode(c: EnrollmentCodeRecord): Promise<void> {
    await this.query(
      `INSERT INTO ${this.t('enrollment_codes')}
         (code_hash, clinic_id, admin, created_by, created_at, expires_at) VALUES ($1,$2,$3,$4,$5,$6)`,
      [c.codeHash, c.clinicId, c.admin, c.createdBy, c.createdAt, c.expiresAt],
    );
  }

  async redeemEnrollmentCode(
    codeHash: string,
    now: string,
    d: Omit<NewDevice, 'clinicId' | 'admin' | 'enrolledBy'>,
  ): Promise<RedeemResult> {
    return this.tx(async (q): Promise<RedeemResult> => {
      const [code] = await q(
        `SELECT * FROM ${this.t('enrollment_codes')} WHERE code_hash = $1 FOR UPDATE`,
        [codeHash],
      );
      if (!code) return { ok: false, reason: 'unknown' };
      if (code.used_at) return { ok: false, reason: 'used' };
      if (Date.parse(now) >= (code.expires_at as Date).getTime())
        return { ok: false, reason: 'expired' };
      await q(
        `UPDATE ${this.t('enrollment_codes')} SET used_at = $2, used_by = $3 WHERE code_hash = $1`,
        [codeHash, now, d.deviceId],
      );
      const { replaces, ...rest } = d;
      const [old] = replaces
        ? await q(`SELECT clinic_id FROM ${this.t('devices')} WHERE device_id = $1`, [replaces])
        : [];
      const added: NewDevice = {
        ...rest,
        clinicId: code.clinic_id as string,
        admin: code.admin as boolean,
        enrolledBy: code.created_by as string,
        // Only a device of this clinic is ever named as replaced.
        ...(old && old.clinic_id === code.clinic_id ? { replaces } : {}),
      };
      await this.insertDevice(q, added);
      return { ok: true, device: { ...added, revokedAt: null } };
    });
  }

  async setDeviceProfile(deviceId: string, profile: string): Promise<void> {
    await this.query(`UPDATE ${this.t('devices')} SET profile = $2 WHERE device_id = $1`, [
      deviceId,
      profile,
    ]);
  }

  async setAuditCheckpoint(
    deviceId: string,
    checkpoint: AuditCheckpointRecord,
  ): Promise<CheckpointResult> {
    return this.tx(async (q) => {
      // The row lock orders two reports from one computer: the later sees the earlier's result.
      const [row] = await q(
        `SELECT audit_checkpoint FROM ${this.t('devices')} WHERE device_id = $1 FOR UPDATE`,
        [deviceId],
      );
      if (!row) return 'behind';
      const held = (row.audit_checkpoint as AuditCheckpointRecord | null) ?? null;
      const result = checkpointOutcome(held, checkpoint);
      if (result === 'stored' && held?.seq !== checkpoint.seq)
        await q(`UPDATE ${this.t('devices')} SET audit_checkpoint = $2 WHERE device_id = $1`, [
          deviceId,
          JSON.stringify(checkpoint),
        ]);
      return result;
    });
  }

  async recordActivity(activity: DeviceActivity[]): Promise<void> {
    if (activity.length === 0) return;
    // One statement for the batch; GREATEST keeps the later time when instances disagree.
    await this.query(
      `UPDATE ${this.t('devices')} d
       SET last_seen_at = GREATEST(d.last_seen_at, a.seen),
           last_sync_at = GREATEST(d.last_sync_at, a.synced)
       FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS a(id, seen, synced)
       WHERE d.device_id = a.id`,
      [
        activity.map((a) => a.deviceId),
        activity.map((a) => a.lastSeenAt),
        activity.map((a) => a.lastSyncAt),
      ],
    );
  }

  async revokeDevice(clinicId: string, deviceId: string, at: string): Promise<RevokeResult> {
    return this.tx(async (q): Promise<RevokeResult> => {
      // Serializes admin changes per clinic, so two revokes cannot remove the last two admins.
      await q(`SELECT 1 FROM ${this.t('clinics')} WHERE clinic_id = $1 FOR UPDATE`, [clinicId]);
      const [row] = await q(
        `SELECT * FROM ${this.t('devices')} WHERE device_id = $1 AND clinic_id = $2`,
        [deviceId, clinicId],
      );
      if (!row) return { ok: false, reason: 'unknown' };
      if (row.revoked_at) return { ok: true, device: device(row) };
      if (row.admin) {
        const [n] = await q(
          `SELECT count(*)::int AS n FROM ${this.t('devices')}
           WHERE clinic_id = $1 AND admin AND revoked_at IS NULL`,
          [clinicId],
        );
        if ((n!.n as number) <= 1) return { ok: false, reason: 'last-admin' };
      }
      await q(`UPDATE ${this.t('devices')} SET revoked_at = $2 WHERE device_id = $1`, [
        deviceId,
        at,
      ]);
      return { ok: true, device: { ...device(row), revokedAt: at } };
    });
  }

  putBundle(b: BundleToStore): Promise<PutBundleResult> {
    // Batched with the clinic's other pending pushes into one transaction (postgres-push.ts).
    return this.pushes.put(b);
  }

  async pullBundles(clinicId: string, after: number, limits: PullLimits): Promise<PullResult> {
    // One snapshot for sizes, rows and head, so the head is never behind what was returned.
    return this.tx(async (q) => {
      const sizes = await q(
        `SELECT seq, size FROM ${this.t('bundles')} WHERE clinic_id = $1 AND seq > $2
         ORDER BY seq LIMIT $3`,
        [clinicId, after, limits.maxCount],
      );
      const n = pageLength(
        sizes.map((r) => r.size as number),
        limits,
      );
      const last = n > 0 ? Number(sizes[n - 1]!.seq) : after;
      const rows =
        n === 0
          ? []
          : await q(
              `SELECT seq, bundle_id, device_id, key_version, protocol, size, bytes
               FROM ${this.t('bundles')} WHERE clinic_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq`,
              [clinicId, after, last],
            );
      const [head] = await q(`SELECT last_seq FROM ${this.t('clinics')} WHERE clinic_id = $1`, [
        clinicId,
      ]);
      return {
        head: Number(head?.last_seq ?? 0),
        bundles: rows.map((r) => ({
          seq: Number(r.seq),
          bundleId: r.bundle_id as string,
          deviceId: r.device_id as string,
          keyVersion: r.key_version as number,
          protocol: r.protocol as number,
          size: r.size as number,
          bytes: new Uint8Array(r.bytes as Buffer),
        })),
      };
    }, 'ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  listKeyBlobs(clinicId: string): Promise<KeyBlobRecord[]> {
    return keyBlobs.list(this.query.bind(this), this.t('key_blobs'), clinicId);
  }

  getKeyBlob(clinicId: string, userKey: string): Promise<KeyBlobRecord | undefined> {
    return keyBlobs.get(this.query.bind(this), this.t('key_blobs'), clinicId, userKey);
  }

  putKeyBlob(clinicId: string, put: PutKeyBlob): Promise<PutKeyBlobResult> {
    return keyBlobs.put(this.query.bind(this), this.t('key_blobs'), clinicId, put);
  }

  deleteKeyBlob(clinicId: string, userKey: string): Promise<boolean> {
    return keyBlobs.remove(this.query.bind(this), this.t('key_blobs'), clinicId, userKey);
  }

  async stats(): Promise<StoreStats> {
    const [r] = await this.query(
      `SELECT (SELECT count(*) FROM ${this.t('clinics')})::int AS clinics,
              (SELECT count(*) FROM ${this.t('devices')} WHERE revoked_at IS NULL)::int AS active,
              (SELECT count(*) FROM ${this.t('devices')} WHERE revoked_at IS NOT NULL)::int AS revoked,
              (SELECT coalesce(sum(last_seq), 0) FROM ${this.t('clinics')})::float8 AS bundles,
              (SELECT coalesce(sum(size), 0) FROM ${this.t('bundles')})::float8 AS bytes`,
    );
    return {
      clinics: r!.clinics as number,
      devicesActive: r!.active as number,
      devicesRevoked: r!.revoked as number,
      bundles: r!.bundles as number,
      bundleBytes: r!.bytes as number,
    };
  }

  async readChain(clinicId: string, from: number) {
    return this.tx(async (q) => {
      const rows = await q(
        `SELECT text FROM ${this.t('chain')} WHERE clinic_id = $1 AND seq >= $2 ORDER BY seq`,
        [clinicId, from],
      );
      const [r] = await q(
        `SELECT count(*)::int AS n FROM ${this.t('chain')} WHERE clinic_id = $1`,
        [clinicId],
      );
      return { statements: rows.map((x) => x.text as string), length: r!.n as number };
    }, 'ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async appendChain(
    clinicId: string,
    expectLength: number,
    statements: readonly string[],
  ): Promise<AppendChainResult> {
    return this.tx(async (q) => {
      // The clinic row's lock orders appends of one clinic; the count is then the true length.
      await q(`SELECT 1 FROM ${this.t('clinics')} WHERE clinic_id = $1 FOR UPDATE`, [clinicId]);
      const [r] = await q(
        `SELECT count(*)::int AS n FROM ${this.t('chain')} WHERE clinic_id = $1`,
        [clinicId],
      );
      const length = r!.n as number;
      if (length !== expectLength) return { ok: false, length };
      for (let i = 0; i < statements.length; i++)
        await q(`INSERT INTO ${this.t('chain')} (clinic_id, seq, text) VALUES ($1, $2, $3)`, [
          clinicId,
          length + i,
          statements[i],
        ]);
      return { ok: true, length: length + statements.length };
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
