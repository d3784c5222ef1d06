/**
 * Server backups as server/README.md documents them, with server/deploy/kat-chart-backup against
 * the real server process, for both stores: a backup taken while the server runs and devices
 * sync; more records written after it; the server stopped and the backup restored. The restore
 * marks a new epoch, so every device re-offers what it holds: afterwards the server has every
 * record again (those the backup lacked too), once each, and a new computer receives them all.
 */
import { execFile } from 'node:child_process';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Health } from '../../shared/sync/protocol';
import { uuidv7 } from '../../shared/util/ids';
import { Device, SETUP_TOKEN, newClinic } from '../sync/harness';
import { PG_URL, dropSchema, tempDir, uniqueSchema } from './helpers';
import { startRunningServer } from './running-server';

const run = promisify(execFile);
const SCRIPT = 'server/deploy/kat-chart-backup';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const note = (d: Device, text: string) =>
  d.store.create('note', {
    patientId: uuidv7(),
    templateId: 'soap',
    title: 'Session',
    sections: { subjective: text },
    timeline: [],
  });

const epochOf = async (url: string) =>
  Health.parse(await (await fetch(`${url}/v1/health`)).json()).epoch;

/** The settings file the service and the script share, as an operator would write it. */
async function settings(store: 'embedded' | 'postgres') {
  const dir = await tempDir('kat-backup-');
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const schema = uniqueSchema();
  if (store === 'postgres') cleanups.push(() => dropSchema(schema));
  const values: Record<string, string> =
    store === 'embedded'
      ? { CLINIC_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' }
      : {
          CLINIC_DATA_DIR: join(dir, 'data'),
          DATABASE_URL: PG_URL,
          DATABASE_SCHEMA: schema,
        };
  const envFile = join(dir, 'server.env');
  await writeFile(
    envFile,
    Object.entries(values)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  // The script reads the file; an empty variable in its environment does not override it.
  const scriptEnv = {
    ...process.env,
    KAT_ENV_FILE: envFile,
    DATABASE_URL: '',
    CLINIC_DATA_DIR: '',
  };
  return { dir, values, scriptEnv, backups: join(dir, 'backups') };
}

describe.each(['embedded', 'postgres'] as const)('kat-chart-backup with the %s store', (kind) => {
  it('a backup taken while syncing, restored later: devices re-offer and nothing is lost', async () => {
    const s = await settings(kind);
    const env = { ...s.values, SETUP_TOKEN };
    let server = await startRunningServer(env);
    const port = server.port;
    cleanups.push(() => server.stop());
    const { clinic, enroll } = await newClinic(server.url);
    const a = await Device.create('laptop', clinic, server.url, enroll);
    const b = await Device.create('frontdesk', clinic, server.url, enroll);
    cleanups.push(
      () => a.dispose(),
      () => b.dispose(),
    );

    await note(a, 'Before the backup');
    await note(b, 'Also before the backup');
    for (const d of [a, b, a]) expect(await d.sync()).toBe(true);

    // While the server runs, and while a device keeps pushing.
    await note(a, 'Pushed while the backup ran');
    const [backup] = await Promise.all([
      run('sh', [SCRIPT, 'backup', s.backups], { env: s.scriptEnv }),
      a.sync(),
    ]);
    const file = backup.stdout.trim();
    expect(file).toMatch(kind === 'embedded' ? /kat-chart-\d{8}T\d{6}Z\.tar\.gz$/ : /\.dump$/);
    expect(await readdir(s.backups)).toEqual([file.split('/').pop()]);

    await note(a, 'After the backup');
    await note(b, 'Also after the backup');
    for (const d of [a, b, a, b]) expect(await d.sync()).toBe(true);
    const before = await epochOf(server.url);

    // Restore: refused while the server runs (embedded: it holds the folder's lock) …
    if (kind === 'embedded')
      await expect(run('sh', [SCRIPT, 'restore', file], { env: s.scriptEnv })).rejects.toThrow(
        /The server is running .* Stop it first/,
      );
    await server.stop();
    // … done with the server stopped; the data it replaces is kept aside.
    const restored = await run('sh', [SCRIPT, 'restore', file], { env: s.scriptEnv });
    expect(restored.stdout).toMatch(/Marked as restored: new server epoch/);
    if (kind === 'embedded') expect(restored.stdout).toMatch(/kept in .*before-restore-/);
    server = await startRunningServer(env, [], port);
    expect(await epochOf(server.url)).not.toBe(before);

    for (const d of [a, b, a, b]) expect(await d.sync()).toBe(true);
    const c = await Device.create('tablet', clinic, server.url, enroll);
    cleanups.push(() => c.dispose());
    expect(await c.sync()).toBe(true);
    const texts = (await c.store.listKind('note')).map((n) => n.sections.subjective).sort();
    expect(texts).toEqual([
      'After the backup',
      'Also after the backup',
      'Also before the backup',
      'Before the backup',
      'Pushed while the backup ran',
    ]);
    expect(await c.snapshot()).toEqual(await a.snapshot());
    expect(await b.snapshot()).toEqual(await a.snapshot());
  }, 120_000);
});
