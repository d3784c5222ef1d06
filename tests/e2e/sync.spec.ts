/**
 * Two browser contexts are two computers of one clinic, syncing through a real `npm run server`
 * started here on a free port with its data in a temp folder. The server sends no CORS headers
 * yet, so the browser reaches it through a small pass-through proxy that adds them (see report).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ADMIN, AppPage } from './pages/app-page';
import { SyncPage } from './pages/sync-page';

const SETUP_TOKEN = 'e2e-setup-token-0123456789abcdef';
let server: ChildProcess;
let proxy: Server;
let dataDir: string;
let proxyUrl: string;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function waitForHealth(url: string) {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${url}/v1/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('The sync server did not start');
}

function corsProxy(target: number): Server {
  return createServer((req, res) => {
    const cors = {
      'access-control-allow-origin': req.headers.origin ?? '*',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-allow-methods': 'GET, POST, PUT, DELETE',
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    const up = request(
      { host: '127.0.0.1', port: target, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, { ...r.headers, ...cors });
        r.pipe(res);
      },
    );
    up.on('error', () => res.writeHead(502, cors).end());
    req.pipe(up);
  });
}

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kat-e2e-sync-'));
  const port = await freePort();
  server = spawn('npx', ['tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      CLINIC_DATA_DIR: dataDir,
      SETUP_TOKEN,
      LOG_LEVEL: 'warn',
      // the embedded store, whatever DATABASE_URL CI sets for the server's PostgreSQL suites
      DATABASE_URL: '',
    },
    stdio: 'ignore',
    detached: true,
  });
  await waitForHealth(`http://127.0.0.1:${port}`);
  proxy = corsProxy(port);
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  proxy?.close();
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

test('two computers of one clinic share charts, also after working offline', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const a = await browser.newContext();
  const b = await browser.newContext();
  const appA = new AppPage(await a.newPage());
  const appB = new AppPage(await b.newPage());
  const syncA = new SyncPage(appA.page);
  const syncB = new SyncPage(appB.page);

  await appA.open();
  await appA.createClinic();
  await syncA.openServerSettings();
  await appA.expectAccessible('Clinic server (not connected)');
  await syncA.connectFirstDevice(proxyUrl, SETUP_TOKEN);
  const code = await syncA.createEnrollmentCode();
  await appA.expectAccessible('Clinic server (connected)');
  await appA.page.screenshot({ path: '/tmp/sync-settings.png' });

  await appB.open();
  await appB.expectAccessible('Welcome with Join a clinic');
  await syncB.join({
    serverUrl: proxyUrl,
    code,
    username: ADMIN.username,
    passphrase: ADMIN.passphrase,
  });
  await expect(syncB.status()).toBeVisible();

  // A colleague added on A appears on B. (The chart screen is a colleague's slice still in
  // progress, so this spec syncs through Settings → Users rather than opening a chart.)
  await syncA.addUser('Dana Reyes', 'dana');
  await syncB.openUsers();
  await expect(syncB.userRow('Dana Reyes')).toBeVisible({ timeout: 30_000 });

  // B works while offline: the change waits, then syncs when the network is back.
  await b.setOffline(true);
  await syncB.addUser('Jonas Berg', 'jonas');
  await expect(syncB.status()).toHaveAccessibleName(/waiting|Offline/, { timeout: 30_000 });
  await appB.page.screenshot({ path: '/tmp/sync-offline.png' });
  await syncA.openUsers();
  await expect(syncA.userRow('Jonas Berg')).toHaveCount(0);
  await b.setOffline(false);
  await expect(syncA.userRow('Jonas Berg')).toBeVisible({ timeout: 45_000 });
  await expect(syncB.status()).toHaveAccessibleName(/Synced/, { timeout: 30_000 });
  await a.close();
  await b.close();
});
