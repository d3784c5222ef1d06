/**
 * PostgreSQL tables and the server identity (epoch). Created on start under an advisory lock, so
 * several server instances starting together do not race each other's CREATE statements.
 * The epoch is bound to the cluster's system identifier and the OIDs of the database and schema:
 * restoring a dump (pg_restore, psql < dump) always creates new OIDs, so the first server to start
 * on restored data begins a new epoch by itself. A physical restore (base backup, PITR) keeps them;
 * for that the operator starts one instance with --restored (server/README.md).
 */
import { randomBytes } from 'node:crypto';
import type { PoolClient } from 'pg';

export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function ddl(s: string): string {
  return `
CREATE SCHEMA IF NOT EXISTS "${s}";
CREATE TABLE IF NOT EXISTS "${s}".meta (
  id integer PRIMARY KEY CHECK (id = 1),
  created_at timestamptz NOT NULL,
  epoch text NOT NULL,
  epoch_since timestamptz NOT NULL,
  setup_token text NOT NULL,
  binding text NOT NULL,
  history jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS "${s}".clinics (
  clinic_id uuid PRIMARY KEY,
  created_at timestamptz NOT NULL,
  -- The last assigned sequence. Incrementing it row-locks the clinic until commit, so sequences
  -- commit in order and a reader can never see seq n+1 before seq n (server/README.md).
  last_seq bigint NOT NULL DEFAULT 0
);
-- A setup token registers one clinic. Added once, in place: data from before that rule had its
-- token spent by the clinics it registered.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '"${s}".meta'::regclass
                 AND attname = 'setup_spent_at' AND NOT attisdropped) THEN
    ALTER TABLE "${s}".meta ADD COLUMN setup_spent_at timestamptz,
                            ADD COLUMN setup_renewed_at timestamptz;
    UPDATE "${s}".meta SET setup_spent_at = now() WHERE EXISTS (SELECT 1 FROM "${s}".clinics);
  END IF;
END $$;
CREATE TABLE IF NOT EXISTS "${s}".devices (
  device_id uuid PRIMARY KEY,
  clinic_id uuid NOT NULL REFERENCES "${s}".clinics,
  public_key text NOT NULL,
  token_hash text NOT NULL,
  admin boolean NOT NULL,
  enrolled_at timestamptz NOT NULL,
  enrolled_by uuid,
  revoked_at timestamptz
);
CREATE INDEX IF NOT EXISTS devices_by_clinic ON "${s}".devices (clinic_id);
-- A computer's sealed profile and when it was last seen and synced (issue 19). Added once.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '"${s}".devices'::regclass
                 AND attname = 'profile' AND NOT attisdropped) THEN
    ALTER TABLE "${s}".devices ADD COLUMN profile text,
                               ADD COLUMN last_seen_at timestamptz,
                               ADD COLUMN last_sync_at timestamptz;
  END IF;
END $$;
-- The device a re-enrolled computer replaces (issue 14 point 4). Added once.
ALTER TABLE "${s}".devices ADD COLUMN IF NOT EXISTS replaces uuid;
-- The highest audit checkpoint a computer sent (issue 18 point 2): {seq, hash, at}. Added once.
ALTER TABLE "${s}".devices ADD COLUMN IF NOT EXISTS audit_checkpoint jsonb;
CREATE TABLE IF NOT EXISTS "${s}".enrollment_codes (
  code_hash text PRIMARY KEY,
  clinic_id uuid NOT NULL REFERENCES "${s}".clinics,
  admin boolean NOT NULL,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  used_by uuid
);
CREATE TABLE IF NOT EXISTS "${s}".bundles (
  clinic_id uuid NOT NULL REFERENCES "${s}".clinics,
  seq bigint NOT NULL,
  bundle_id uuid NOT NULL,
  device_id uuid NOT NULL,
  key_version integer NOT NULL,
  protocol integer NOT NULL,
  size integer NOT NULL,
  bytes bytea NOT NULL,
  stored_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (clinic_id, seq),
  UNIQUE (clinic_id, bundle_id)
);
-- Ciphertext does not compress: store it out of line without trying. Only once, because ALTER
-- TABLE would briefly block the instances already serving.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '"${s}".bundles'::regclass
             AND attname = 'bytes' AND attstorage <> 'e') THEN
    ALTER TABLE "${s}".bundles ALTER COLUMN bytes SET STORAGE EXTERNAL;
  END IF;
END $$;
CREATE TABLE IF NOT EXISTS "${s}".key_blobs (
  clinic_id uuid NOT NULL REFERENCES "${s}".clinics,
  user_key text NOT NULL,
  blob text NOT NULL,
  revision integer NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by uuid NOT NULL,
  PRIMARY KEY (clinic_id, user_key)
);
-- The clinic membership chain (shared/trust): signed statements, appended by compare-and-swap on
-- the length under the clinic row's lock.
CREATE TABLE IF NOT EXISTS "${s}".chain (
  clinic_id uuid NOT NULL REFERENCES "${s}".clinics,
  seq integer NOT NULL,
  text text NOT NULL,
  PRIMARY KEY (clinic_id, seq)
);`;
}

async function binding(client: PoolClient, schema: string): Promise<string> {
  let system = 'unknown';
  try {
    await client.query('SAVEPOINT sysid');
    const r = await client.query('SELECT system_identifier::text AS id FROM pg_control_system()');
    system = String(r.rows[0]?.id);
  } catch {
    // Not allowed for this role: database and schema OIDs still catch logical restores.
    await client.query('ROLLBACK TO SAVEPOINT sysid');
  }
  const r = await client.query(
    `SELECT (SELECT oid FROM pg_database WHERE datname = current_database())::text AS db,
            (SELECT oid FROM pg_namespace WHERE nspname = $1)::text AS ns`,
    [schema],
  );
  return `${system}:${r.rows[0].db}:${r.rows[0].ns}`;
}

/** Creates the tables if needed and returns a note when a new epoch began. */
export async function migrate(
  client: PoolClient,
  schema: string,
  restored: boolean,
): Promise<string | undefined> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`kat-chart:${schema}`]);
    await client.query(ddl(schema));
    const bound = await binding(client, schema);
    const epoch = randomBytes(16).toString('hex');
    const meta = await client.query(`SELECT binding FROM "${schema}".meta WHERE id = 1 FOR UPDATE`);
    let note: string | undefined;
    if (meta.rowCount === 0) {
      await client.query(`INSERT INTO "${schema}".meta VALUES (1, now(), $1, now(), $2, $3, $4)`, [
        epoch,
        randomBytes(24).toString('base64url'),
        bound,
        JSON.stringify([{ epoch, reason: 'created' }]),
      ]);
    } else if (restored || meta.rows[0].binding !== bound) {
      const reason = restored ? 'restored (operator flag)' : 'database restored or moved';
      await client.query(
        `UPDATE "${schema}".meta SET epoch = $1, epoch_since = now(), binding = $2,
           history = history || $3::jsonb WHERE id = 1`,
        [epoch, bound, JSON.stringify([{ epoch, reason, since: new Date().toISOString() }])],
      );
      note = `New server epoch: ${reason}. Devices will re-offer what they hold.`;
    }
    await client.query('COMMIT');
    return note;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
