/**
 * Sync through HTTPS as root README "Set up sync for your clinic" sets it up: the real server
 * behind Caddy with server/deploy/Caddyfile.private on loopback, Caddy's own authority trusted by
 * the browser (the clinic certificate installed), the first computer connecting with the token
 * from the setup-token file, the second joining with the join code alone, a patient crossing
 * over. Each computer is named when it joins, and the administrator's list tells them apart by
 * name, person, version and when each was last seen; the laptop is removed, says so in the app's
 * words, offers only "Join again", and joins again without losing what was charted on it meanwhile
 * (issue 19 point 7). Then the certificate changes (a new authority nobody installed): the app
 * refuses to send, says so in plain words, and keeps what was typed.
 */
import { chromium, expect, test } from '@playwright/test';
import { ADMIN, AppPage } from './pages/app-page';
import { type HttpsClinic, startHttpsClinic } from './pages/https-clinic';
import { PatientsPage } from './pages/patients-page';
import { SyncPage } from './pages/sync-page';

let clinic: HttpsClinic;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  clinic = await startHttpsClinic();
});
test.afterAll(async () => {
  await clinic?.stop();
});

test('two computers sync through Caddy over HTTPS; a changed certificate is refused in plain words', async ({
  baseURL,
  launchOptions,
}) => {
  // Two browsers, a server, Caddy and two passphrase KDFs per computer: slow on a busy machine.
  test.setTimeout(600_000);
  const slow = { timeout: 60_000 };
  const browser = await chromium.launch({
    ...launchOptions,
    env: { ...process.env, HOME: clinic.browserHome },
  });
  try {
    const [a, b] = [
      await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } }),
      await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } }),
    ];
    const [pa, pb] = [await a.newPage(), await b.newPage()];
    const [appA, appB] = [new AppPage(pa), new AppPage(pb)];
    const [syncA, syncB] = [new SyncPage(pa), new SyncPage(pb)];

    // The first computer: nothing pre-filled (no server on this computer), the https address.
    await appA.open();
    await appA.createClinic();
    await syncA.openServerSettings();
    await expect(pa.getByLabel('Server address')).toHaveValue('');
    await syncA.connectFirstDevice(clinic.url, clinic.setupToken, 'Front desk');

    // The enrollment code card carries the address and the join code, as text and QR code.
    await pa.getByRole('button', { name: 'Create enrollment code' }).click();
    const card = pa.getByRole('region', { name: 'Enrollment code for the next computer' });
    const joinCode = (await card.getByLabel('Join code').textContent())!.trim();
    expect(joinCode).toMatch(
      new RegExp(`^KAT-JOIN ${clinic.url} [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$`),
    );
    await expect(card.getByText(clinic.url, { exact: true })).toBeVisible();
    await expect(card.getByRole('img', { name: /^QR code of the join code/ })).toBeVisible();
    await appA.expectAccessible('enrollment code with join code and QR code');
    await pa.screenshot({ path: '/tmp/https-enrollment-code.png' });

    // The second computer joins with the join code alone: no address typed.
    await appB.open();
    const join = pb.getByRole('region', { name: 'Join a clinic' });
    await expect(join.getByLabel('Clinic server address')).toHaveValue('');
    await join.getByLabel('Join code').fill(joinCode);
    await expect(join.getByLabel('Clinic server address')).toHaveValue(clinic.url);
    // Named when it joins: the browser and system are offered (a browser cannot know more).
    const computerName = join.getByLabel('Name of this computer');
    await expect(computerName).toHaveValue('Chrome on Linux');
    await computerName.fill('Dr Lee’s laptop');
    await join.getByLabel('Your sign-in name').fill(ADMIN.username);
    await join.getByLabel('Your passphrase').fill(ADMIN.passphrase);
    await appB.expectAccessible('Join a clinic filled from a join code');
    await pb.screenshot({ path: '/tmp/https-join.png' });
    await join.getByRole('button', { name: 'Join clinic' }).click();
    // The administrator confirms the computer by its fingerprint (issue 13).
    await syncA.confirmComputer(await syncB.joinFingerprint());
    await syncB.joined();

    // A patient added on the first computer reaches the second through HTTPS.
    await appA.nav('Patients').click();
    await new PatientsPage(pa).addPatient({ first: 'Maya', last: 'Okafor', dob: '1987-04-12' });
    await expect(syncA.status()).toHaveAccessibleName(/Synced/, slow);
    await expect(async () => {
      await appB.nav('Patients').click();
      await expect(pb.getByRole('button', { name: 'Open chart: Okafor, Maya' })).toBeVisible({
        timeout: 5_000,
      });
    }).toPass(slow);

    // The administrator's list tells the computers apart (issue 19 point 7).
    await syncA.openServerSettings();
    const computers = pa.getByRole('table', { name: 'Computers of this clinic' });
    const laptop = computers.getByRole('row').filter({ hasText: 'Dr Lee’s laptop' });
    await expect(async () => {
      await pa.getByRole('tab', { name: 'Users' }).click();
      await pa.getByRole('tab', { name: 'Clinic server' }).click();
      await expect(laptop).toContainText(ADMIN.name, { timeout: 3_000 });
    }).toPass(slow);
    const cells = laptop.getByRole('cell');
    await expect(cells.nth(2)).toHaveText(/^(just now|\d+ minutes? ago)$/); // last seen
    await expect(cells.nth(3)).toHaveText(/^(just now|\d+ minutes? ago)$/); // last sync
    await expect(cells.nth(4)).toHaveText(/^\d+\.\d+\.\d+/); // app version
    await expect(computers.getByRole('row').filter({ hasText: 'Front desk' })).toContainText(
      'This computer',
    );
    await expect(computers).not.toContainText('Unnamed');
    await pa.mouse.move(700, 10);
    await appA.expectAccessible('computers with names, users, last seen and versions');
    await pa.screenshot({ path: '/tmp/https-computers.png' });

    // The laptop is lost: removed. It is told so in the app's words and local date format.
    await laptop.getByRole('button', { name: 'Remove computer Dr Lee’s laptop' }).click();
    await pa.getByRole('button', { name: 'Remove computer', exact: true }).click();
    await expect(
      pa.getByText(/^“Dr Lee’s laptop” was removed: it can no longer sync\./),
    ).toBeVisible(slow);
    await expect(laptop).toContainText('Removed');
    // Found again, before it knows: something charted on it waits.
    await appB.nav('Patients').click();
    await new PatientsPage(pb).addPatient({ first: 'Ana', last: 'Lee', dob: '1979-03-08' });
    await syncB.openServerSettings();
    const removed = pb.getByRole('region', { name: 'This computer was removed from the clinic' });
    await expect(removed).toBeVisible(slow);
    const removal = removed.getByRole('alert');
    await expect(removal).toContainText(/removed this computer from the clinic on .+\d{2}:\d{2}\./);
    await expect(removal).not.toContainText(/device|\d{4}-\d{2}-\d{2}|T\d{2}:|AM|PM/);
    await expect(pb.getByRole('button', { name: 'Sync now' })).toHaveCount(0);
    await expect(pb.getByRole('button', { name: 'Create enrollment code' })).toHaveCount(0);
    await expect(removed.getByRole('button')).toHaveText(['Join again']);
    await appB.expectAccessible('a removed computer');
    await pb.screenshot({ path: '/tmp/https-removed.png' });

    // Join again with a new join code; the administrator confirms the numbers; nothing is lost.
    await syncA.openServerSettings();
    await pa.getByRole('button', { name: 'Create enrollment code' }).click();
    const again = (await card.getByLabel('Join code').textContent())!.trim();
    await removed.getByRole('button', { name: 'Join again' }).click();
    const rejoin = pb.getByRole('form', { name: 'Join again' });
    await rejoin.getByLabel('Join code').fill(again);
    await expect(rejoin.getByLabel('Name of this computer')).toHaveValue('Dr Lee’s laptop');
    await appB.expectAccessible('join again form');
    await pb.screenshot({ path: '/tmp/https-join-again.png' });
    await rejoin.getByRole('button', { name: 'Join clinic again' }).click();
    await syncA.confirmComputer(await syncB.joinFingerprint());
    await expect(pb.getByText(/^Last synced: just now/)).toBeVisible(slow);
    await expect(async () => {
      await appA.nav('Patients').click();
      await expect(pa.getByRole('button', { name: 'Open chart: Lee, Ana' })).toBeVisible({
        timeout: 5_000,
      });
    }).toPass(slow);
    await syncA.openServerSettings();
    await expect(async () => {
      await pa.getByRole('tab', { name: 'Users' }).click();
      await pa.getByRole('tab', { name: 'Clinic server' }).click();
      await expect(
        computers
          .getByRole('row')
          .filter({ hasText: 'Dr Lee’s laptop' })
          .filter({ hasText: 'Active' }),
      ).toHaveCount(1, { timeout: 3_000 });
    }).toPass(slow);

    // The certificate changes to one from an authority this computer never trusted.
    await clinic.replaceCertificate();
    await appA.nav('Patients').click();
    await new PatientsPage(pa).addPatient({ first: 'Noah', last: 'Brandt', dob: '1990-01-02' });
    await syncA.openServerSettings();
    await pa.getByRole('button', { name: 'Sync now' }).click();
    const refusal = pa
      .getByRole('region', { name: 'Clinic server', exact: true })
      .getByRole('alert')
      .filter({ hasText: 'security certificate' });
    await expect(refusal).toContainText('does not trust its security certificate', slow);
    await expect(refusal).toContainText('do not work around it');
    await expect(pa.getByText(/Changes waiting to upload: [1-9]/)).toBeVisible();
    await expect(syncA.status()).not.toHaveAccessibleName(/Synced/);
    await appA.expectAccessible('sync refused for a changed certificate');
    await pa.screenshot({ path: '/tmp/https-certificate-changed.png' });
    await a.close();
    await b.close();
  } finally {
    await browser.close();
  }
});
