/**
 * Issue 18 deliverable 5: a member whose keys are sealed with a PRF security key sets up a new
 * computer. Joining fetches her keyring row from the real clinic server; the passphrase alone
 * cannot open it, so the join screen asks for the key, and without it she is refused in plain
 * words with nothing changed.
 *
 * One tab, two computers: computer A is the app opened at localhost on the usual port, computer B
 * the same build at localhost on another port (another origin: its own empty IndexedDB and
 * keychain). The security key is the tab's virtual authenticator, carried from A to B as a person
 * carries a key: Chromium's CDP can copy a credential into a second authenticator
 * (WebAuthn.addCredential) but not its PRF secret, so a copy would answer without PRF.
 */
import { createReadStream, existsSync, statSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { type CDPSession, type Page, expect, test } from '@playwright/test';
import { ADMIN, AppPage, signInWhenShown } from './pages/app-page';
import { type ClinicServer, startClinicServer } from './pages/clinic-server';
import { SyncPage } from './pages/sync-page';

test.describe.configure({ timeout: 360_000 });
const slow = { timeout: 90_000 };

const port = Number(process.env.E2E_PORT ?? 4179);
const A = `http://localhost:${port}/`;
const BUILT = resolve(process.env.WEB_OUT_DIR ?? 'out/web');

/** The built renderer, served as-is on a free loopback port: computer B's origin. */
async function serveBuild(): Promise<{ url: string; server: Server }> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.wasm': 'application/wasm',
    '.woff2': 'font/woff2',
    '.svg': 'image/svg+xml',
    '.json': 'application/json',
  };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!));
    let file = join(BUILT, path);
    if (!file.startsWith(BUILT) || !existsSync(file) || statSync(file).isDirectory())
      file = join(BUILT, 'index.html');
    res.setHeader('content-type', types[extname(file)] ?? 'application/octet-stream');
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://localhost:${(server.address() as AddressInfo).port}/`, server };
}

/** Chromium's virtual authenticator (CDP WebAuthn domain): a USB security key with PRF. */
async function plugInSecurityKey(page: Page) {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'usb',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      hasPrf: true,
    },
  });
  return {
    /** Off: the key is not touched (left in the drawer), so every request times out. */
    touched: (enabled: boolean) =>
      cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled }),
  };
}

let server: ClinicServer;
let b: { url: string; server: Server };
test.beforeAll(async () => {
  server = await startClinicServer();
  b = await serveBuild();
});
test.afterAll(async () => {
  await server?.stop();
  b?.server.close();
});

test('a member whose keys need her security key joins a new computer with it, and is refused without it', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const key = await plugInSecurityKey(page);
  const app = new AppPage(page);
  const sync = new SyncPage(page);

  // Computer A: the clinic, connected to the server; Riley adds a security key with PRF.
  await page.goto(A);
  await app.createClinic();
  await sync.openServerSettings();
  await sync.connectFirstDevice(server.url, server.setupToken, 'Front desk');
  await app.nav('Settings').click();
  await page.getByRole('tab', { name: 'Sign-in security' }).click();
  await page.getByLabel('Name of the key').fill('Blue key');
  await page.getByLabel('Your passphrase').fill(ADMIN.passphrase);
  await page.getByRole('button', { name: 'Add security key' }).click();
  await expect(page.getByTestId('own-factor')).toContainText(
    'your passphrase alone no longer opens them',
    slow,
  );
  // Settings → Users: the administrator sees who has which factor, and, where one would look
  // for a way to take a lost key off, why there is none and what the way back is.
  await page.getByRole('tab', { name: 'Users' }).click();
  await expect(page.getByTestId(`factor-of-${ADMIN.username}`)).toHaveText(
    'Security key “Blue key”, which also locks their keys',
  );
  const note = page.getByRole('note', { name: 'A colleague lost their security key or phone?' });
  await expect(note).toContainText('An administrator cannot take a colleague’s second factor off');
  await expect(note).toContainText('“Forgot passphrase?” and enter the clinic recovery key');
  await app.expectAccessible('Settings, users with their second factor');
  await page.screenshot({ path: 'test-results/second-factor-users.png', fullPage: true });

  // Her row, now sealed under passphrase + key, reaches the server.
  await expect(sync.status()).toHaveAccessibleName(/Synced/, slow);
  await sync.openServerSettings();
  const code = await sync.createEnrollmentCode();

  // Computer B: Riley joins with the code; A confirms the numbers.
  await page.goto(b.url);
  await sync.startJoin({
    serverUrl: server.url,
    code,
    username: ADMIN.username,
    passphrase: ADMIN.passphrase,
    computerName: 'Exam room 2',
  });
  const digits = await sync.joinFingerprint();
  await page.goto(A);
  await signInWhenShown(page, ADMIN.username, ADMIN.passphrase);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible(slow);
  await sync.confirmComputer(digits);

  // Back on B: the join resumes, confirmed. The key is in the drawer: asked for, not touched.
  await page.goto(b.url);
  const card = page.getByRole('region', { name: 'Join a clinic' });
  await expect(card.getByText('An administrator confirmed this computer.')).toBeVisible(slow);
  await key.touched(false);
  await card.getByLabel('Your sign-in name').fill(ADMIN.username);
  await card.getByLabel('Your passphrase').fill(ADMIN.passphrase);
  await card.getByRole('button', { name: 'Fetch keys and records' }).click();
  await expect(card.getByRole('status').filter({ hasText: 'Use your security key' })).toContainText(
    'Your keys also need the security key you added',
    slow,
  );
  await app.expectAccessible('Join a clinic, security key asked');
  await page.screenshot({ path: 'test-results/second-factor-join-asked.png' });
  await expect(card.getByRole('alert')).toContainText('The security key was not used', slow);
  await expect(card.getByRole('alert')).toContainText(
    'Your keys were not fetched and nothing changed on this computer',
  );
  await app.expectAccessible('Join a clinic, security key not used');
  await page.screenshot({ path: 'test-results/second-factor-join-refused.png' });
  // Nothing changed: B is still joining, signed in as nobody, holding no keys.
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  await page.reload();
  await expect(card.getByText('An administrator confirmed this computer.')).toBeVisible(slow);
  expect(await keyringRows(page)).toBe(0);

  // With the key touched: keys fetched, records pulled, signed in.
  await key.touched(true);
  await card.getByLabel('Your sign-in name').fill(ADMIN.username);
  await card.getByLabel('Your passphrase').fill(ADMIN.passphrase);
  await card.getByRole('button', { name: 'Fetch keys and records' }).click();
  await sync.joined();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect(await keyringRows(page)).toBeGreaterThan(0);

  // From now on B asks for passphrase and key at every sign-in, like A.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInWhenShown(page, ADMIN.username, ADMIN.passphrase);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible(slow);
});

/** Keyring rows in this origin's database (`kat-chart`), read as devtools would. */
function keyringRows(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((done, fail) => {
        const req = indexedDB.open('kat-chart');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const dbh = req.result;
          if (!dbh.objectStoreNames.contains('keyring')) return done(0);
          const count = dbh.transaction('keyring').objectStore('keyring').count();
          count.onsuccess = () => done(count.result);
          count.onerror = () => fail(count.error);
        };
      }),
  );
}

test('where no security key can work, Sign-in security says so before anyone tries, and offers the app', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const app = new AppPage(page);
  await app.open(); // 127.0.0.1: a numeric address, no valid relying party
  await app.createClinic();
  await app.nav('Settings').click();
  await page.getByRole('tab', { name: 'Sign-in security' }).click();
  await expect(
    page.getByRole('note', { name: 'No security key on this computer’s KAT Chart' }),
  ).toContainText('Security keys need KAT Chart opened by a name');
  await expect(page.getByRole('button', { name: 'Add security key' })).toHaveCount(0);
  await expect(
    page.getByRole('button', { name: 'Use an authenticator app instead' }),
  ).toBeVisible();
  await app.expectAccessible('Sign-in security, no key possible here');
  await page.screenshot({ path: 'test-results/second-factor-no-key-here.png' });
});

/** A scheduled backup's outside (version 2, keyed header) around a body that opens with nothing. */
function keyedBackupShell(path: string) {
  const header = JSON.stringify({
    format: 'kat-chart-backup',
    version: 2,
    createdAt: '2026-12-01T02:00:00.000Z',
    clinicId: 'clinic-e2e',
    dbVersion: 1,
    appVersion: '0.0.0',
    protection: {
      kind: 'clinic-key',
      keyVersion: 1,
      clinicCreatedAt: '2026-01-01T00:00:00.000Z',
      holders: [
        {
          userId: 'u1',
          username: 'riley',
          kdf: {
            alg: 'argon2id',
            memoryKiB: 65536,
            iterations: 3,
            parallelism: 1,
            salt: 'AAAAAAAAAAAAAAAAAAAAAA==',
          },
        },
      ],
    },
  });
  const text = Buffer.from(header, 'utf8');
  const prefix = Buffer.alloc(11);
  prefix.write('KATBAK', 0, 'latin1');
  prefix[6] = 2;
  prefix.writeUInt32BE(text.length, 7);
  writeFileSync(path, Buffer.concat([prefix, text, Buffer.alloc(64, 7)]));
}

test('a scheduled backup can be opened with the clinic recovery key instead of a passphrase and key', async ({
  page,
}, info) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const file = info.outputPath('auto-backup.katbackup');
  keyedBackupShell(file);
  await page.goto('/');
  const card = page.getByRole('region', { name: 'Restore from backup' });
  await card.getByLabel('Backup file').setInputFiles(file);
  await expect(card.getByLabel('Your user name')).toBeVisible();
  await card.getByRole('button', { name: 'Open it with the clinic recovery key instead' }).click();
  await expect(card.getByLabel('Your user name')).toHaveCount(0);
  await expect(card).toContainText('choose “Forgot passphrase?”');
  await card.getByLabel('Recovery key').fill('AAAA-AAAA');
  await card.getByRole('button', { name: 'Restore clinic' }).click();
  // This file is from before the clinic had a recovery key: said so, nothing restored.
  await expect(card.getByRole('alert')).toContainText('made before the clinic had a recovery key');
  await new AppPage(page).expectAccessible('Restore from backup, by recovery key');
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/second-factor-restore-recovery.png' });
});
