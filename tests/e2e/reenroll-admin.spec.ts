/**
 * The clinic's only administrator, whose computer's keychain can no longer be read, has nobody to
 * make an enrollment code: they reconnect that computer with their own signature (Settings →
 * Clinic server → Reconnect as administrator; renderer/sync/README.md, "Re-enrollment"). Through a
 * real clinic server: the patient registered while the computer could not sync reaches a computer
 * that joins afterwards with a code the reconnected computer makes.
 */
import { type Page, expect, test } from '@playwright/test';
import { ADMIN, AppPage } from './pages/app-page';
import { type ClinicServer, startClinicServer } from './pages/clinic-server';
import { PatientsPage } from './pages/patients-page';
import { SyncPage } from './pages/sync-page';

let server: ClinicServer;

test.beforeAll(async () => {
  server = await startClinicServer();
});

test.afterAll(async () => {
  await server?.stop();
});

/** The browser keychain's sealing key is gone: every secret sealed under it no longer opens. */
async function loseKeychain(page: Page) {
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('kat-keychain');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('keys', 'readwrite');
          tx.objectStore('keys').delete('sealing-key');
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

test('the only administrator reconnects their computer with their signature; what was typed meanwhile arrives', async ({
  browser,
}) => {
  test.setTimeout(420_000);
  const slow = { timeout: 90_000 };
  const a = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const pa = await a.newPage();
  const appA = new AppPage(pa);
  const syncA = new SyncPage(pa);

  await appA.open();
  await appA.createClinic();
  await syncA.openServerSettings();
  await syncA.connectFirstDevice(server.url, server.setupToken);
  await appA.nav('Patients').click();
  await new PatientsPage(pa).addPatient({ first: 'Maya', last: 'Okafor', dob: '1987-04-12' });
  await expect(syncA.status()).toHaveAccessibleName(/Synced/, slow);

  // The keychain cannot be read any more; a patient is registered meanwhile, offline.
  await a.setOffline(true);
  await loseKeychain(pa);
  await appA.nav('Patients').click();
  await new PatientsPage(pa).addPatient({ first: 'Ruth', last: 'Adeyemi', dob: '1979-02-03' });
  await a.setOffline(false);

  await syncA.openServerSettings();
  const cutOff = pa.getByRole('region', { name: 'This computer can no longer sync' });
  await expect(cutOff).toBeVisible(slow);
  await cutOff.getByRole('button', { name: 'Reconnect as administrator' }).click();
  const reconnect = cutOff.getByRole('group', { name: 'Reconnect as administrator' });
  await expect(
    reconnect.getByRole('list', { name: 'What happens when you reconnect as administrator' }),
  ).toContainText('only a current administrator');
  await appA.expectAccessible('Clinic server: reconnect as administrator');
  await pa.screenshot({ path: '/tmp/reenroll-admin.png' });
  await reconnect.getByRole('button', { name: 'Reconnect with my signature' }).click();
  await expect(syncA.status()).toHaveAccessibleName(/Synced/, slow);
  await expect(pa.getByRole('region', { name: 'Clinic server' })).toBeVisible(slow);

  // The reconnected computer is an administrator's again: it makes a code; a new computer joins
  // and receives the patient registered while the old key could not be read.
  const code = await syncA.createEnrollmentCode();
  const b = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const pb = await b.newPage();
  const appB = new AppPage(pb);
  const syncB = new SyncPage(pb);
  await appB.open();
  await syncB.startJoin({
    serverUrl: server.url,
    code,
    username: ADMIN.username,
    passphrase: ADMIN.passphrase,
  });
  await syncA.confirmComputer(await syncB.joinFingerprint());
  await expect(async () => {
    await appB.nav('Patients').click();
    await expect(pb.getByRole('button', { name: 'Open chart: Adeyemi, Ruth' })).toBeVisible({
      timeout: 5_000,
    });
  }).toPass(slow);
  await a.close();
  await b.close();
});
