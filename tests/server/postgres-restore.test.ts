/**
 * A PostgreSQL dump restored in place must start a new epoch by itself, so devices re-offer what
 * the backup lacks (SYNC.md rule 8; Medic CHT lost data after a server restore, #8093).
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/util/ids';
import { PostgresStore } from '../../server/store/postgres';
import { PG_URL, bytesOf, dropSchema, newDevice, quiet, tempDir, uniqueSchema } from './helpers';

const run = promisify(execFile);
const schema = uniqueSchema();
afterAll(() => dropSchema(schema));

describe('PostgreSQL restore', () => {
  it('a dump restored in place keeps the data and starts a new epoch', async () => {
    const open = () => PostgresStore.open({ connectionString: PG_URL, schema, log: quiet });
    let store = await open();
    const clinicId = uuidv7();
    const device = newDevice(clinicId, { admin: true });
    await store.createClinic(clinicId, device);
    await store.putBundle({
      clinicId,
      bundleId: uuidv7(),
      deviceId: device.deviceId,
      keyVersion: 1,
      protocol: 1,
      bytes: bytesOf(64),
    });
    const before = await store.identity();
    await store.close();

    const dir = await tempDir();
    const dump = join(dir, 'backup.dump');
    try {
      await run('pg_dump', ['--format=custom', `--schema=${schema}`, `--file=${dump}`, PG_URL]);
      await dropSchema(schema);
      await run('pg_restore', [`--dbname=${PG_URL}`, dump]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    store = await open();
    const after = await store.identity();
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.setupToken).toBe(before.setupToken);
    expect((await store.pullBundles(clinicId, 0, { maxCount: 10, maxBytes: 1 << 20 })).head).toBe(
      1,
    );
    await store.close();

    // An ordinary restart is not a restore.
    store = await open();
    expect((await store.identity()).epoch).toBe(after.epoch);
    await store.close();
  }, 30_000);
});
