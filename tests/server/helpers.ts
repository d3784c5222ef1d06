/** Shared fixtures for the server suites: real stores in throwaway folders and schemas. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { uuidv7 } from '../../shared/util/ids';
import { EmbeddedStore } from '../../server/store/embedded';
import { PostgresStore, type PostgresStoreOptions } from '../../server/store/postgres';
import type { NewDevice, Store } from '../../server/store/store';

/** Our machines run PostgreSQL with trust auth; CI sets DATABASE_URL. */
export const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const quiet = () => {};

export type StoreFixture = {
  name: 'embedded' | 'postgres';
  open(options?: { restored?: boolean }): Promise<Store>;
  cleanup(): Promise<void>;
};

export async function tempDir(prefix = 'kat-server-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export function embeddedFixture(): StoreFixture {
  let dir: string | undefined;
  return {
    name: 'embedded',
    async open(options = {}) {
      dir ??= await tempDir();
      return EmbeddedStore.open({ dir, log: quiet, ...options });
    },
    async cleanup() {
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A schema of its own per fixture, so parallel runs never meet; dropped afterwards. */
export function uniqueSchema(): string {
  return `kat_test_${randomBytes(6).toString('hex')}`;
}

export function postgresFixture(extra: Partial<PostgresStoreOptions> = {}): StoreFixture & {
  schema: string;
} {
  const schema = uniqueSchema();
  return {
    name: 'postgres',
    schema,
    open: (options = {}) =>
      PostgresStore.open({ connectionString: PG_URL, schema, log: quiet, ...extra, ...options }),
    cleanup: () => dropSchema(schema),
  };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export function newDevice(clinicId: string, over: Partial<NewDevice> = {}): NewDevice {
  return {
    deviceId: uuidv7(),
    clinicId,
    publicKey: randomBytes(91).toString('base64'),
    tokenHash: randomBytes(32).toString('hex'),
    admin: false,
    enrolledAt: new Date().toISOString(),
    enrolledBy: null,
    ...over,
  };
}

export function bytesOf(n: number, fill = 1): Uint8Array {
  return new Uint8Array(n).fill(fill);
}
