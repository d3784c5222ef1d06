/**
 * The real `server/main.ts` as a child process on a free loopback port, once per store: it comes
 * up, answers /v1/health, accepts the setup token it printed, and stops cleanly on SIGTERM.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportPublicKey, generateDeviceKeyPair } from '../../shared/sync/device-keys';
import { DeviceCredentials, Health } from '../../shared/sync/protocol';
import { uuidv7 } from '../../shared/util/ids';
import { PG_URL, dropSchema, tempDir, uniqueSchema } from './helpers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

type Running = {
  child: ChildProcessWithoutNullStreams;
  base: string;
  setupToken: string;
  stdout: () => string;
};

async function startServer(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  cleanups.push(async () => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
  });
  const deadline = Date.now() + 20_000;
  while (!/setup token.* is in (\S+)/.test(out)) {
    if (child.exitCode !== null) throw new Error(`server exited: ${err}`);
    if (Date.now() > deadline) throw new Error(`server did not start: ${out} ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // Not a terminal: the token is in its file, not in the output.
  const setupToken = (await readFile(/setup token.* is in (\S+)/.exec(out)![1]!, 'utf8')).trim();
  return { child, base: `http://127.0.0.1:${port}`, setupToken, stdout: () => out };
}

async function exercise(server: Running) {
  const health = await fetch(`${server.base}/v1/health`);
  expect(health.status).toBe(200);
  expect(Health.parse(await health.json()).status).toBe('ok');

  const keys = await generateDeviceKeyPair();
  const res = await fetch(`${server.base}/v1/clinics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      setupToken: server.setupToken,
      clinicId: uuidv7(),
      publicKey: await exportPublicKey(keys.publicKey),
    }),
  });
  expect(res.status).toBe(201);
  expect(DeviceCredentials.parse(await res.json()).admin).toBe(true);

  const missing = await fetch(`${server.base}/v1/devices`);
  expect(missing.status).toBe(401);
  expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);

  server.child.kill('SIGTERM');
  const code = await new Promise((r) => server.child.once('exit', (c) => r(c)));
  expect(code).toBe(0);
}

describe('npm run server (server/main.ts)', () => {
  it('serves /v1/health with the embedded store and releases its folder on SIGTERM', async () => {
    const dir = await tempDir();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const server = await startServer({ CLINIC_DATA_DIR: dir, DATABASE_URL: '' });
    expect(server.stdout()).toMatch(/embedded store/);
    await exercise(server);
    await expect(stat(join(dir, 'server.lock'))).rejects.toThrow();
  }, 30_000);

  it('serves /v1/health with PostgreSQL when DATABASE_URL is set', async () => {
    const schema = uniqueSchema();
    cleanups.push(() => dropSchema(schema));
    const dir = await tempDir();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const server = await startServer({
      DATABASE_URL: PG_URL,
      DATABASE_SCHEMA: schema,
      CLINIC_DATA_DIR: dir,
    });
    expect(server.stdout()).toMatch(/postgres store/);
    await exercise(server);
  }, 30_000);

  it('refuses unusable settings in plain words', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: 'eighty', DATABASE_URL: '' },
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(1);
    expect(err).toMatch(/server settings are not usable \(PORT/);
  }, 30_000);
});
