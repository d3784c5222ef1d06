/**
 * What the person running the clinic server does, against the real `server/main.ts`: read the
 * setup token from its file (no terminal needed), see it spent once a clinic registers, make a
 * new one for another clinic, and check the settings without starting the server.
 */
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportPublicKey, generateDeviceKeyPair } from '../../shared/sync/device-keys';
import { uuidv7 } from '../../shared/util/ids';
import { PG_URL, dropSchema, tempDir, uniqueSchema } from './helpers';
import { type RunningServer, runServerCommand, startRunningServer } from './running-server';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function dataDir() {
  const dir = await tempDir();
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function start(env: Record<string, string>, args: string[] = []) {
  const server = await startRunningServer(env, args);
  cleanups.push(() => server.stop());
  return server;
}

async function bootstrap(server: RunningServer, setupToken: string) {
  const publicKey = await exportPublicKey((await generateDeviceKeyPair()).publicKey);
  const res = await fetch(`${server.url}/v1/clinics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ setupToken, clinicId: uuidv7(), publicKey }),
  });
  await res.body?.cancel();
  return res.status;
}

describe('the setup token without a terminal', () => {
  it('is written at first start to a file only the service user can read, and spent by the first clinic', async () => {
    const dir = await dataDir();
    let server = await start({ CLINIC_DATA_DIR: dir });
    const file = join(dir, 'setup-token.txt');
    const token = (await readFile(file, 'utf8')).trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    // Not on a console that is not a terminal (a service's output goes to the journal).
    expect(server.output()).not.toContain(token);
    expect(server.output()).toContain(`is in ${file}`);

    expect(await bootstrap(server, token)).toBe(201);
    expect(await readFile(file, 'utf8')).toMatch(/was used on .* no longer works/);
    expect(await bootstrap(server, token)).toBe(403);

    // A restart does not bring it back.
    await server.stop();
    server = await start({ CLINIC_DATA_DIR: dir });
    expect(await readFile(file, 'utf8')).toMatch(/no longer works/);
    expect(await bootstrap(server, token)).toBe(403);
    await server.stop();

    // Another clinic on this server: the operator makes a new token while the server is stopped.
    const made = await runServerCommand({ CLINIC_DATA_DIR: dir, DATABASE_URL: '' }, [
      '--new-setup-token',
    ]);
    expect(made.code).toBe(0);
    const second = (await readFile(file, 'utf8')).trim();
    expect(second).not.toBe(token);
    server = await start({ CLINIC_DATA_DIR: dir });
    expect(await bootstrap(server, token)).toBe(403);
    expect(await bootstrap(server, second)).toBe(201);
    expect(await bootstrap(server, second)).toBe(403);
  }, 90_000);

  it('a human-chosen SETUP_TOKEN no longer counts once a new token was made', async () => {
    const dir = await dataDir();
    const env = { CLINIC_DATA_DIR: dir, SETUP_TOKEN: 'chosen-by-a-person-1234' };
    let server = await start(env);
    expect(await bootstrap(server, 'chosen-by-a-person-1234')).toBe(201);
    await server.stop();
    expect((await runServerCommand(env, ['--new-setup-token'])).code).toBe(0);
    server = await start(env);
    expect(await bootstrap(server, 'chosen-by-a-person-1234')).toBe(403);
    const fresh = (await readFile(join(dir, 'setup-token.txt'), 'utf8')).trim();
    expect(await bootstrap(server, fresh)).toBe(201);
  }, 90_000);

  it('a folder from before one-use tokens, with a clinic in it, has its token spent', async () => {
    const dir = await dataDir();
    let server = await start({ CLINIC_DATA_DIR: dir });
    const token = (await readFile(join(dir, 'setup-token.txt'), 'utf8')).trim();
    expect(await bootstrap(server, token)).toBe(201);
    await server.stop();
    // meta.json as an older server wrote it: no setupSpentAt, token still in it.
    const metaPath = join(dir, 'meta.json');
    const meta = JSON.parse(await readFile(metaPath, 'utf8')) as Record<string, unknown>;
    delete meta.setupSpentAt;
    delete meta.setupRenewedAt;
    await writeFile(metaPath, JSON.stringify(meta));
    server = await start({ CLINIC_DATA_DIR: dir });
    expect(await bootstrap(server, token)).toBe(403);
  }, 90_000);

  it('PostgreSQL: spent by the first clinic for every instance, renewed with --new-setup-token', async () => {
    const schema = uniqueSchema();
    cleanups.push(() => dropSchema(schema));
    const dir = await dataDir();
    const env = {
      DATABASE_URL: PG_URL,
      DATABASE_SCHEMA: schema,
      SETUP_TOKEN_FILE: join(dir, 'token'),
    };
    const a = await start(env);
    const b = await start({ ...env, SETUP_TOKEN_FILE: join(dir, 'token-b') });
    const token = (await readFile(join(dir, 'token'), 'utf8')).trim();
    const both = await Promise.all([bootstrap(a, token), bootstrap(b, token)]);
    expect(both.sort()).toEqual([201, 403]);
    // Made while the instances run: the next request on either sees it.
    expect((await runServerCommand(env, ['--new-setup-token'])).code).toBe(0);
    const fresh = (await readFile(join(dir, 'token'), 'utf8')).trim();
    expect(await bootstrap(b, fresh)).toBe(201);
  }, 90_000);
});

describe('npm run server -- --check', () => {
  it('says the settings are usable without starting, locking or creating anything', async () => {
    const parent = await dataDir();
    const dir = join(parent, 'not-yet');
    const { code, output } = await runServerCommand({ CLINIC_DATA_DIR: dir, DATABASE_URL: '' }, [
      '--check',
    ]);
    expect(output).toMatch(/will be created/);
    expect(output).toMatch(/The settings are usable/);
    expect(code).toBe(0);
    await expect(stat(dir)).rejects.toThrow();
  }, 30_000);

  it('names what is wrong: a bad setting, a folder it cannot write, an unreachable database', async () => {
    const bad = await runServerCommand({ PORT: 'eighty' }, ['--check']);
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/server settings are not usable \(PORT/);

    const parent = await dataDir();
    const file = join(parent, 'a-file');
    await writeFile(file, 'x');
    const folder = await runServerCommand({ CLINIC_DATA_DIR: file, DATABASE_URL: '' }, ['--check']);
    expect(folder.code).toBe(1);
    expect(folder.output).toMatch(/FAIL .*is a file, not a folder/);

    const db = await runServerCommand(
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', CLINIC_DATA_DIR: parent },
      ['--check'],
    );
    expect(db.code).toBe(1);
    expect(db.output).toMatch(/FAIL {2}PostgreSQL at DATABASE_URL cannot be used/);
    expect(db.output).toMatch(/NOT usable/);
  }, 30_000);
});
