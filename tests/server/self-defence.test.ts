/**
 * The server defends itself (THREATS.md principle 7, issue 13 point 6), played as an adversary
 * against the real `server/main.ts` process: guessing enrollment codes, setup tokens or device
 * credentials is throttled per client address, and the setup token registers one clinic only —
 * a human-chosen SETUP_TOKEN too, across restarts.
 */
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { exportPublicKey, generateDeviceKeyPair } from '../../shared/sync/device-keys';
import { DeviceCredentials, EnrollmentCode, authorizationHeader } from '../../shared/sync/protocol';
import { uuidv7 } from '../../shared/util/ids';
import { tempDir } from './helpers';
import { type RunningServer, startRunningServer } from './running-server';

const SETUP_TOKEN = 'our-clinic-setup-2026'; // human-chosen, as an operator might

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serverWithData(env: Record<string, string> = {}) {
  const dir = await tempDir();
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const start = async () => {
    const server = await startRunningServer({ CLINIC_DATA_DIR: dir, SETUP_TOKEN, ...env });
    cleanups.push(() => server.stop());
    return server;
  };
  return { dir, start };
}

const publicKey = async () => exportPublicKey((await generateDeviceKeyPair()).publicKey);

function post(server: RunningServer, path: string, body: unknown, token?: string) {
  return fetch(server.url + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: authorizationHeader(token) } : {}),
    },
    body: JSON.stringify(body),
  });
}

async function bootstrap(server: RunningServer, setupToken = SETUP_TOKEN) {
  return post(server, '/v1/clinics', {
    setupToken,
    clinicId: uuidv7(),
    publicKey: await publicKey(),
  });
}

const randomCode = () => {
  const a = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const c = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => a[b & 31]).join('');
  return `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`;
};

async function problem(res: Response) {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await res.json()) as { code: string; detail: string; status: number };
}

describe('the clinic server defends itself', () => {
  it('throttles enrollment-code guessing: after a few wrong codes even the right one waits', async () => {
    const server = await (await serverWithData()).start();
    const admin = DeviceCredentials.parse(await (await bootstrap(server)).json());
    const made = await post(server, '/v1/enrollment-codes', { admin: false }, admin.token);
    const { code } = EnrollmentCode.parse(await made.json());

    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await post(server, '/v1/devices/enroll', {
        code: randomCode(),
        publicKey: await publicKey(),
      });
      statuses.push(res.status);
      if (res.status === 429) {
        const p = await problem(res);
        expect(p.code).toBe('too-many-attempts');
        expect(p.detail).toMatch(/wait \d+ minutes?/i);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      } else await res.body?.cancel();
    }
    const refused = statuses.filter((s) => s === 403).length;
    expect(refused).toBeGreaterThanOrEqual(5);
    expect(refused).toBeLessThanOrEqual(12);
    expect(statuses.slice(refused).every((s) => s === 429)).toBe(true);

    // The guesser cannot go on, even with a lucky guess …
    const lucky = await post(server, '/v1/devices/enroll', { code, publicKey: await publicKey() });
    expect(lucky.status).toBe(429);
    // … while the clinic's enrolled devices keep syncing.
    const devices = await fetch(`${server.url}/v1/devices`, {
      headers: { authorization: authorizationHeader(admin.token) },
    });
    expect(devices.status).toBe(200);
  }, 60_000);

  it('registers one clinic per setup token: a second bootstrap with the same token is refused, also after a restart', async () => {
    const data = await serverWithData();
    let server = await data.start();
    expect((await bootstrap(server)).status).toBe(201);

    const second = await bootstrap(server);
    expect(second.status).toBe(403);
    const p = await problem(second);
    expect(p.code).toBe('setup-token-spent');
    expect(p.detail).toMatch(/already used/);

    await server.stop();
    server = await data.start(); // SETUP_TOKEN is still in its environment
    const third = await bootstrap(server);
    expect(third.status).toBe(403);
    expect((await problem(third)).code).toBe('setup-token-spent');
  }, 60_000);

  it('throttles setup-token guessing before the first clinic registers', async () => {
    const server = await (await serverWithData()).start();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await bootstrap(server, `guess-${i}-${'x'.repeat(16)}`);
      statuses.push(res.status);
      await res.body?.cancel();
    }
    const refused = statuses.filter((s) => s === 403).length;
    expect(refused).toBeLessThanOrEqual(11);
    expect(statuses.slice(refused).every((s) => s === 429)).toBe(true);
    expect((await bootstrap(server)).status).toBe(429);
  }, 60_000);

  it('throttles guessed device credentials, not the devices that hold real ones', async () => {
    const server = await (await serverWithData()).start();
    const admin = DeviceCredentials.parse(await (await bootstrap(server)).json());
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const guess = `${admin.deviceId}.${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`;
      const res = await fetch(`${server.url}/v1/key-blobs`, {
        headers: { authorization: authorizationHeader(guess) },
      });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    const refused = statuses.filter((s) => s === 401).length;
    expect(refused).toBeLessThanOrEqual(21);
    expect(statuses.slice(refused).every((s) => s === 429)).toBe(true);
  }, 60_000);
});
