import { expect, test } from '@playwright/test';
import { newRecoveryKey } from '../../shared/crypto/keyring-recovery';
import { newDeviceKeys } from '../../renderer/sync/device-credentials';
import { ServerClient } from '../../renderer/sync/server-client';
import { ADMIN, AppPage } from './pages/app-page';
import { startClinicServer } from './pages/clinic-server';
import { readDownloadedPdf } from './pages/pdf';
import { SyncPage } from './pages/sync-page';
import { NotesPage, THERAPIST, openChartAsTherapist } from './pages/notes-page';

// Argon2id key derivation at every sign-in, several users: give the machine time.
test.describe.configure({ timeout: 300_000 });

const slow = { timeout: 60_000 };
const NEW_PASSPHRASE = 'lighthouse over calm water';

test('an administrator prints the recovery sheet; a therapist who forgot her passphrase recovers with it and reads everything', async ({
  page,
}) => {
  // Dana charts and signs a note.
  const app = await openChartAsTherapist(page);
  const notes = new NotesPage(page);
  await notes.start('Dosing session');
  await notes.addLine('calm, resting with eyes closed');
  await notes.sign(THERAPIST.passphrase);
  await expect(page.getByText('Signed by Dana Reyes')).toBeVisible(slow);
  // Leave the note first: the next person to sign in starts where this one was.
  await app.nav('Patients').click();
  await page.getByRole('button', { name: 'Sign out' }).click();

  // The administrator removes a colleague (a new clinic key version) and makes the recovery key.
  await app.signIn(ADMIN.username, ADMIN.passphrase);
  await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible(slow);
  // Until the clinic has a recovery key, administrators are reminded in the header.
  const nudge = page.getByRole('button', { name: 'No recovery key yet' });
  await expect(nudge).toBeVisible();
  await app.addUser({
    name: 'Sam Lee',
    username: 'sam',
    passphrase: 'sam leaves soon ok',
    roles: ['Therapist'],
  });
  await page.getByRole('button', { name: 'Remove Sam Lee' }).click();
  await page.getByRole('button', { name: 'Remove Sam Lee' }).last().click();
  await expect(
    page.getByText(/Sam Lee was removed\. Clinic key version 2 is now active/),
  ).toBeVisible(slow);
  await expect(page.getByRole('table', { name: 'Users' })).toContainText('Removed');

  await page.getByRole('tab', { name: 'Clinic server' }).click();
  const versions = page.getByRole('table', { name: 'Clinic key versions' });
  await expect(versions.getByRole('row')).toHaveCount(3);
  await expect(versions.getByRole('row').nth(1)).toContainText('Active');
  await expect(versions.getByRole('row').nth(1)).toContainText('A user was removed');
  await expect(versions.getByRole('row').nth(2)).toContainText('Retired (read only)');
  await expect(versions.getByRole('row').nth(2)).toContainText('Clinic set up');
  await expect(
    page.getByText('The clinic has no recovery key yet.', { exact: false }),
  ).toBeVisible();

  await page.getByRole('button', { name: 'Create recovery key' }).click();
  const shown = page.getByLabel('New recovery key');
  await expect(shown).toHaveText(/^([0-9A-Z]{4}-){8}[0-9A-Z]{4}$/, slow);
  const key = (await shown.textContent())!.trim();
  await expect(nudge).toHaveCount(0);
  await page.mouse.move(700, 10);
  await app.expectAccessible('clinic keys and recovery key');
  await page.screenshot({ path: '/tmp/c2-keys-panel.png', fullPage: true });

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save recovery sheet as PDF' }).click();
  const { text } = await readDownloadedPdf(await download, 'c2-recovery-sheet');
  expect(text).toContain(key);
  expect(text).toContain('Clinic recovery sheet');
  expect(text).toContain('Forgot passphrase?');
  expect(text).not.toMatch(/placeholder|sample/i);
  await expect(page.getByText(/sheet printed/)).toBeVisible();
  await page.getByRole('button', { name: 'Done, hide the key' }).click();
  await expect(page.getByLabel('New recovery key')).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign out' }).click();

  // Dana forgot her passphrase.
  await page.getByRole('button', { name: 'Forgot passphrase?' }).click();
  const form = page.getByRole('form', { name: 'Reset a forgotten passphrase' });
  await form.getByLabel('User name').fill(THERAPIST.username);
  await form.getByLabel('New passphrase', { exact: true }).fill(NEW_PASSPHRASE);
  await form.getByLabel('Repeat new passphrase').fill(NEW_PASSPHRASE);
  const submit = form.getByRole('button', { name: 'Set new passphrase and sign in' });
  const failure = form.getByRole('alert');

  // A typo in the key, then a well-formed key of some other clinic: clear words, nothing changed.
  const typo = (key[0] === 'A' ? 'B' : 'A') + key.slice(1);
  await form.getByLabel('Recovery key').fill(typo);
  await submit.click();
  await expect(failure).toContainText('typo');
  await expect(failure).toContainText('Nothing was changed.');
  await form.getByLabel('Recovery key').fill(await newRecoveryKey());
  await submit.click();
  await expect(failure).toContainText('does not open this clinic’s keys', slow);
  await expect(form.getByLabel('User name')).toHaveValue(THERAPIST.username); // typing kept
  await page.screenshot({ path: '/tmp/c2-recover-form.png', fullPage: true });
  await app.expectAccessible('forgot passphrase form');

  // The real key, typed the way people type: lower case, spaces instead of dashes.
  await form.getByLabel('Recovery key').fill(key.toLowerCase().replace(/-/g, ' '));
  await submit.click();
  await expect(page.getByText(`${THERAPIST.name} · Therapist`)).toBeVisible(slow);
  await app.nav('Patients').click();
  await page.getByRole('button', { name: 'Open chart: Okafor, Maya' }).click();
  // The signed note's text is readable again: search decrypts it, and it opens as signed.
  await page.getByRole('searchbox', { name: 'Search this chart' }).fill('resting');
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results).toContainText('calm, resting with eyes closed', slow);
  await results.getByRole('link').first().click();
  await expect(page.getByText('Signed by Dana Reyes')).toBeVisible(slow);
  await expect(page.getByText('calm, resting with eyes closed')).toBeVisible();

  // The old passphrase no longer opens; the new one does.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await app.signIn(THERAPIST.username, THERAPIST.passphrase);
  await expect(page.getByRole('alert')).toContainText('do not match', slow);
  await app.signIn(THERAPIST.username, NEW_PASSPHRASE);
  await expect(page.getByText(`${THERAPIST.name} · Therapist`)).toBeVisible(slow);

  // Her new keys are not in the membership record yet: the administrator is told there is
  // someone to add, by name.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await app.signIn(ADMIN.username, ADMIN.passphrase);
  await new SyncPage(page).openServerSettings();
  const waiting = page.getByRole('list', { name: 'Colleagues waiting to be added' });
  await expect(page.getByText('Colleagues waiting to be added: 1')).toBeVisible(slow);
  await expect(waiting).toContainText(THERAPIST.name);
  await page.setViewportSize({ width: 1280, height: 800 });
  await app.expectAccessible('clinic server with a colleague waiting to be added');
  await page.screenshot({ path: '/tmp/h21-colleagues-waiting.png', fullPage: true });
  // Her screen shows the same numbers (same computer here); the administrator confirms them.
  await page
    .getByRole('button', { name: `The numbers match: confirm ${THERAPIST.name}’s new keys` })
    .click();
  await expect(page.getByText(`${THERAPIST.name}’s new keys are confirmed.`)).toBeVisible(slow);
  await expect(page.getByText(/Colleagues waiting to be added/)).toHaveCount(0);
});

test('an administrator removes a lost computer: it is refused, and a new clinic key is active', async ({
  page,
}) => {
  const server = await startClinicServer();
  try {
    const app = new AppPage(page);
    await app.open();
    await app.createClinic();
    const sync = new SyncPage(page);
    await sync.openServerSettings();
    await sync.connectFirstDevice(server.url, server.setupToken);
    const computers = page.getByRole('table', { name: 'Computers of this clinic' });
    await expect(computers.getByRole('row')).toHaveCount(2);
    await expect(computers).toContainText('This computer');

    // A second computer enrolls (its side played here through the API).
    const code = await sync.createEnrollmentCode();
    const { publicKey } = await newDeviceKeys();
    const lost = await new ServerClient(server.url).enroll({ code, publicKey });
    // Leaving the tab and coming back lists the computers again.
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('tab', { name: 'Clinic server' }).click();
    await expect(computers.getByRole('row')).toHaveCount(3);
    await page.mouse.move(700, 10);
    await app.expectAccessible('enrolled computers');

    // It never sent a name (its side is played through the API): the end of its id stands in.
    const unnamed = `Unnamed computer …${lost.deviceId.slice(-8)}`;
    await page.getByRole('button', { name: `Remove computer ${unnamed}` }).click();
    await expect(page.getByRole('alertdialog', { name: `Remove “${unnamed}”?` })).toBeVisible();
    await page.screenshot({ path: '/tmp/c2-devices.png', fullPage: true });
    await page.getByRole('button', { name: 'Remove computer', exact: true }).click();
    await expect(
      page.getByText(
        `“${unnamed}” was removed: it can no longer sync. Clinic key version 2 is now active.`,
      ),
    ).toBeVisible(slow);
    await expect(computers).toContainText('Removed');
    const versions = page.getByRole('table', { name: 'Clinic key versions' });
    await expect(versions.getByRole('row').nth(1)).toContainText('A computer was removed');
    await expect(new ServerClient(server.url, lost.token).devices()).rejects.toThrow(
      /This computer was removed from the clinic/,
    );
  } finally {
    await server.stop();
  }
});
