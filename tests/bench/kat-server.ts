/**
 * Our server as `npm run server` runs it (server/main.ts via tsx, default log level), on a free
 * loopback port with a throwaway data folder or a throwaway PostgreSQL schema, plus devices
 * enrolled through the API the way the app does it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  exportPrivateKey,
  exportPublicKey,
  generateDeviceKeyPair,
} from '../../shared/sync/device-keys';
import { toBase64 } from '../../shared/util/bytes';
import { ServerClient } from '../../renderer/sync/server-client';
import { BENCH_CLINIC_ID } from './data';
import type { DeviceArgs } from './page/sync-bench';

export const SETUP_TOKEN = 'bench-setup-token-0123456789';

export type KatServer = { url: string; close: () => Promise<void> };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url: string, child: ChildProcess, stderr: () => string) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null)
      throw new Error(`The clinic server stopped while starting: ${stderr().slice(-500)}`);
    try {
      if ((await fetch(`${url}/v1/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('The clinic server did not answer /v1/health within 60 s.');
}

/** `databaseUrl` set: PostgreSQL in a fresh schema, dropped again by close(). */
export async function startKatServer(databaseUrl?: string): Promise<KatServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'kat-bench-'));
  const schema = `bench_${process.pid}_${port}`;
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    CLINIC_DATA_DIR: dir,
    SETUP_TOKEN,
    DATABASE_URL: databaseUrl ?? '',
    DATABASE_SCHEMA: schema,
  };
  // BENCH_SERVER_PROFILE=<dir>: the server writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_SERVER_PROFILE;
  // (tsx's CLI would run the server in a child that the flag does not reach, so load tsx in-process.)
  const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`, '--import', 'tsx'] : [];
  const child = spawn(
    process.execPath,
    profile ? [...nodeArgs, 'server/main.ts'] : ['node_modules/tsx/dist/cli.mjs', 'server/main.ts'],
    {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child, () => err);
  return {
    url,
    close: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      if (databaseUrl) await dropSchema(databaseUrl, schema);
    },
  };
}

async function dropSchema(databaseUrl: string, schema: string) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

async function newKeys() {
  const pair = await generateDeviceKeyPair(true);
  return {
    publicKey: await exportPublicKey(pair.publicKey),
    privateKey: pair.privateKey,
    pkcs8: toBase64(await exportPrivateKey(pair.privateKey)),
  };
}

/** The clinic's first (admin) device, then `others` devices enrolled with one-time codes. */
export async function enrollDevices(
  url: string,
  others: number,
): Promise<{ admin: DeviceArgs & { privateKey: CryptoKey }; devices: DeviceArgs[] }> {
  const k = await newKeys();
  const first = await new ServerClient(url).bootstrapClinic({
    setupToken: SETUP_TOKEN,
    clinicId: BENCH_CLINIC_ID,
    publicKey: k.publicKey,
  });
  const admin = { serverUrl: url, ...first, pkcs8: k.pkcs8, privateKey: k.privateKey };
  const devices: DeviceArgs[] = [];
  for (let i = 0; i < others; i++) {
    const { code } = await new ServerClient(url, first.token).createEnrollmentCode(false);
    const d = await newKeys();
    const creds = await new ServerClient(url).enroll({ code, publicKey: d.publicKey });
    devices.push({ serverUrl: url, ...creds, pkcs8: d.pkcs8 });
  }
  return { admin, devices };
}
