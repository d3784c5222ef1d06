/**
 * Issue 14 point 4, end to end through a real clinic server: computer B's keychain can no longer
 * be read (browser mode seals secrets under a key kept in IndexedDB; that key is gone, as after a
 * profile reset or a backup restored onto another computer), while Dana charts a note on it
 * offline. Settings → Clinic server says so in plain words and offers one thing: connect again
 * with a new code from an administrator. B keeps its records, the administrator on A compares the
 * numbers and confirms (which removes B's old key from the membership chain), and the note typed
 * while B could not sync reaches A.
 */
import { type Page, expect, test } from '@playwright/test';
import { AppPage } from './pages/app-page';
import { type ClinicServer, startClinicServer } from './pages/clinic-server';
import { NotesPage, THERAPIST } from './pages/notes-page';
import { PatientsPage } from './pages/patients-page';
import { SyncPage } from './pages/sync-page';

let server: ClinicServer;

test.beforeAll(async () => {
  server = await startClinicServer();
});

test.afterAll(async () => {
  await server?.stop();
});

/** Dana is a therapist and an administrator: she charts, makes codes and confirms computers. */
const DANA = { ...THERAPIST, roles: ['Therapist', 'Administrator'] as const };
const OFFLINE_TEXT = 'Typed while this computer could not sync: sleeping better, no nausea.';

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

async function signInAsDana(page: Page) {
  await new AppPage(page).signIn(DANA.username, DANA.passphrase);
  await expect(page.getByText(/Dana Reyes · /)).toBeVisible({ timeout: 60_000 });
}

test('a computer whose keychain cannot be read connects again with a new code; its offline note arrives', async ({
  browser,
}) => {
  test.setTimeout(480_000);
  const slow = { timeout: 90_000 };
  const a = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const b = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const [pa, pb] = [await a.newPage(), await b.newPage()];
  const [appA, appB] = [new AppPage(pa), new AppPage(pb)];
  const [syncA, syncB] = [new SyncPage(pa), new SyncPage(pb)];

  // A: the clinic, connected; Dana added; Dana signs in and registers Maya.
  await appA.open();
  await appA.createClinic();
  await syncA.openServerSettings();
  await syncA.connectFirstDevice(server.url, server.setupToken);
  await appA.addUser({ ...DANA, roles: [...DANA.roles] });
  await expect(syncA.status()).toHaveAccessibleName(/Synced/, slow);
  await pa.getByRole('button', { name: 'Sign out' }).click();
  await signInAsDana(pa);
  await appA.nav('Patients').click();
  await new PatientsPage(pa).addPatient({ first: 'Maya', last: 'Okafor', dob: '1987-04-12' });
  await expect(syncA.status()).toHaveAccessibleName(/Synced/, slow);

  // B joins as Dana; A (Dana, an administrator) confirms it.
  await syncA.openServerSettings();
  const code = await syncA.createEnrollmentCode();
  await appB.open();
  await syncB.startJoin({
    serverUrl: server.url,
    code,
    username: DANA.username,
    passphrase: DANA.passphrase,
  });
  await syncA.confirmComputer(await syncB.joinFingerprint());
  // A therapist lands on "My work today".
  await expect(pb.getByText(/Dana Reyes · /)).toBeVisible({ timeout: 60_000 });
  const openChartB = pb.getByRole('button', { name: 'Open chart: Okafor, Maya' });
  await expect(async () => {
    await appB.nav('Patients').click();
    await expect(openChartB).toBeVisible({ timeout: 5_000 });
  }).toPass(slow);
  await expect(syncB.status()).toHaveAccessibleName(/Synced/, slow);

  // B goes offline and its keychain can no longer be read; Dana charts a note there meanwhile.
  await b.setOffline(true);
  await loseKeychain(pb);
  await openChartB.click();
  const notesB = new NotesPage(pb);
  await notesB.start('SOAP note', 'Integration session');
  await pb.getByLabel('Subjective').fill(OFFLINE_TEXT);
  await expect(notesB.saveState()).toHaveText('Saved');

  // Back online, B says it cannot sync, and why, in plain words.
  await b.setOffline(false);
  await syncB.openServerSettings();
  const cutOff = pb.getByRole('region', { name: 'This computer can no longer sync' });
  await expect(cutOff).toBeVisible(slow);
  await expect(cutOff.getByRole('alert')).toContainText('cannot be read from its keychain');
  await expect(pb.getByRole('button', { name: 'Sync now' })).toHaveCount(0);
  await cutOff.getByRole('button', { name: 'Connect again' }).click();
  const form = pb.getByRole('form', { name: 'Connect again' });
  await expect(
    form.getByRole('list', { name: 'What happens when this computer connects again' }),
  ).toContainText('Everything charted on this computer stays on it.');
  await expect(form.getByLabel('Clinic server address')).toHaveValue(server.url);
  await appB.expectAccessible('Clinic server: connect this computer again');
  await pb.screenshot({ path: '/tmp/reenroll-form.png' });

  // A makes a new code; B connects with it and shows the numbers to compare.
  await syncA.openServerSettings();
  const again = await syncA.createEnrollmentCode();
  await form.getByLabel('Enrollment code').fill(again);
  await form.getByRole('button', { name: 'Connect this computer again' }).click();
  const digits = await syncB.joinFingerprint();
  await pb.screenshot({ path: '/tmp/reenroll-waiting.png' });

  // A sees that the computer replaces another and confirms; B syncs, the note reaches A.
  const row = await syncA.waitingComputer(digits);
  await expect(row).toContainText(/in place of computer/);
  await appA.expectAccessible('computer connecting again in place of another');
  await pa.screenshot({ path: '/tmp/reenroll-confirm.png' });
  await syncA.confirmComputer(digits);
  await expect(syncB.status()).toHaveAccessibleName(/Synced/, slow);
  await expect(pb.getByRole('region', { name: 'Clinic server' })).toBeVisible();

  await expect(async () => {
    await appA.nav('Patients').click();
    await pa.getByRole('button', { name: 'Open chart: Okafor, Maya' }).click();
    await expect(pa.getByRole('link', { name: /^Note: / })).toHaveCount(1, { timeout: 5_000 });
  }).toPass(slow);
  await pa.getByRole('link', { name: /^Note: / }).click();
  await expect(pa.getByLabel('Subjective')).toHaveValue(OFFLINE_TEXT);

  // Issue 14, sync panel: both computers change Maya's phone offline. Both values are kept, and
  // the conflict is listed apart from what was not applied, and opens from the panel.
  await a.setOffline(true);
  await b.setOffline(true);
  for (const [p, phone] of [
    [pa, '218-555-0101'],
    [pb, '218-555-0199'],
  ] as const) {
    await new AppPage(p).nav('Patients').click();
    await p.getByRole('button', { name: 'Open chart: Okafor, Maya' }).click();
    await expect(p).toHaveURL(/#\/patients\/[^/]+/);
    await p.goto(p.url().replace(/#\/patients\/([^/?]+).*$/, '#/patients/$1/edit'));
    await new PatientsPage(p).fill({ phone });
    await p.getByRole('button', { name: 'Save patient' }).click();
    await expect(p.getByRole('heading', { name: /Okafor, Maya/ })).toBeVisible();
  }
  await a.setOffline(false);
  await b.setOffline(false);
  await syncB.openServerSettings();
  const conflicts = pb.getByRole('region', { name: 'Changed on two computers at the same time' });
  await expect(conflicts).toBeVisible(slow);
  await expect(conflicts).toContainText('Both versions were kept');
  await expect(conflicts).toContainText('(phone)');
  await conflicts.getByRole('button', { name: 'Show both versions' }).click();
  const both = conflicts.getByRole('table', {
    name: 'Both versions of the fields changed at the same time',
  });
  await expect(both).toContainText('218-555-0101');
  await expect(both).toContainText('218-555-0199');
  await appB.expectAccessible('sync panel: a record changed on two computers at once');
  await conflicts.scrollIntoViewIfNeeded();
  await pb.screenshot({ path: '/tmp/sync-conflict-panel.png' });
  await conflicts.getByRole('link', { name: 'Open the record' }).click();
  await expect(pb.getByRole('heading', { name: /Okafor, Maya/ })).toBeVisible();
  await a.close();
  await b.close();
});
