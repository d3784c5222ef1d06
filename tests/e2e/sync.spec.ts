/**
 * Two browser contexts are two computers of one clinic, syncing through a real clinic server (`server/main.ts`)
 * started here (a free port, data in a temp folder). The server answers CORS for loopback origins,
 * so the browser talks to it directly. A note signed on one computer appears on the other,
 * signed and unchanged; a note charted while offline waits, then syncs once the network is back.
 */
import { expect, test } from '@playwright/test';
import { ADMIN, AppPage } from './pages/app-page';
import { type ClinicServer, startClinicServer } from './pages/clinic-server';
import { NotesPage, THERAPIST, signInAgain } from './pages/notes-page';
import { PatientsPage } from './pages/patients-page';
import { SyncPage } from './pages/sync-page';

let server: ClinicServer;
let serverUrl: string;
let SETUP_TOKEN: string;

test.beforeAll(async () => {
  server = await startClinicServer();
  serverUrl = server.url;
  SETUP_TOKEN = server.setupToken;
});

test.afterAll(async () => {
  await server?.stop();
});

test('two computers of one clinic: a signed note arrives unchanged; offline charting syncs later', async ({
  browser,
}) => {
  test.setTimeout(420_000);
  const slow = { timeout: 90_000 };
  const a = await browser.newContext();
  const b = await browser.newContext();
  const [pa, pb] = [await a.newPage(), await b.newPage()];
  const [appA, appB] = [new AppPage(pa), new AppPage(pb)];
  const [syncA, syncB] = [new SyncPage(pa), new SyncPage(pb)];

  // Computer A sets up the clinic, connects it to the server and adds Dana, a therapist.
  await appA.open();
  await appA.createClinic();
  await syncA.openServerSettings();
  await appA.expectAccessible('Clinic server (not connected)');
  await syncA.connectFirstDevice(serverUrl, SETUP_TOKEN);
  const code = await syncA.createEnrollmentCode();
  await appA.expectAccessible('Clinic server (connected)');
  await pa.screenshot({ path: '/tmp/sync-settings.png' });
  await appA.addUser({ ...THERAPIST, roles: ['Therapist'] });

  // Computer B joins the clinic with the code. Both screens show the same numbers; the
  // administrator confirms B only then (issue 13: a server could have shown either side another
  // clinic or another computer).
  await appB.open();
  await appB.expectAccessible('Welcome with Join a clinic');
  await pa.setViewportSize({ width: 1280, height: 800 });
  await pb.setViewportSize({ width: 1280, height: 800 });
  await syncB.startJoin({
    serverUrl,
    code,
    username: ADMIN.username,
    passphrase: ADMIN.passphrase,
    computerName: 'Front desk',
  });
  const digits = await syncB.joinFingerprint();
  await appB.expectAccessible('joining computer showing the numbers to compare');
  await pb.screenshot({ path: '/tmp/join-waiting.png' });
  // The administrator reads which computer waits, and for whom (sealed to them, not the server).
  const waiting = await syncA.waitingComputer(digits);
  await expect(waiting).toContainText('Front desk');
  await expect(waiting).toContainText(`for ${ADMIN.name}`);
  await appA.expectAccessible('computers waiting to join');
  await pa.screenshot({ path: '/tmp/join-confirm.png' });
  await syncA.confirmComputer(digits);
  await syncB.joined();
  await expect(syncB.status()).toBeVisible();

  // Dana charts a note on A and signs it.
  await pa.getByRole('button', { name: 'Sign out' }).click();
  await signInAgain(pa);
  await appA.nav('Patients').click();
  await new PatientsPage(pa).addPatient({ first: 'Maya', last: 'Okafor', dob: '1987-04-12' });
  const notesA = new NotesPage(pa);
  await notesA.start('SOAP note', 'Integration session');
  await pa.getByLabel('Subjective').fill('Slept well after the session; mood brighter.');
  await expect(notesA.saveState()).toHaveText('Saved');
  await notesA.sign(THERAPIST.passphrase);
  await expect(pa.getByText(/Signed by Dana Reyes/).first()).toBeVisible();
  await expect(syncA.status()).toHaveAccessibleName(/Synced/, slow);
  // Bundles were built off the page's thread, in the app's sync worker.
  expect(pa.workers().map((w) => w.url())).toContainEqual(
    expect.stringMatching(/bundle-codec\.worker-[\w-]+\.js$/),
  );

  // On B, Dana finds it signed, with the text she signed.
  await pb.getByRole('button', { name: 'Sign out' }).click();
  await expect(async () => {
    // Dana's key reaches B with a sync round; until then B does not know her.
    await signInAgain(pb);
  }).toPass({ timeout: 120_000, intervals: [5_000] });
  const openChartB = pb.getByRole('button', { name: 'Open chart: Okafor, Maya' });
  await expect(async () => {
    await appB.nav('Patients').click();
    await expect(openChartB).toBeVisible({ timeout: 5_000 });
  }).toPass(slow);
  await openChartB.click();
  const noteLink = pb.getByRole('link', { name: /^Note: / });
  await expect(noteLink).toBeVisible(slow);
  await noteLink.click();
  await expect(pb.getByText('Slept well after the session; mood brighter.')).toBeVisible();
  await expect(pb.getByText(/Signed by Dana Reyes/).first()).toBeVisible();
  await expect(pb.getByLabel('Subjective')).toHaveCount(0); // signed: nothing to edit
  await appB.expectAccessible('signed note received from another computer');
  await pb.screenshot({ path: '/tmp/sync-signed-note.png', fullPage: true });

  // B loses the network; Dana charts a second note there. It waits on B and A does not have it.
  await b.setOffline(true);
  await appB.nav('Patients').click();
  await openChartB.click();
  const notesB = new NotesPage(pb);
  await notesB.start('SOAP note', 'Integration session');
  await pb.getByLabel('Subjective').fill('Charted while the network was down: calm, eating well.');
  await expect(notesB.saveState()).toHaveText('Saved');
  await expect(syncB.status()).toHaveAccessibleName(/waiting|Offline/, slow);
  await pb.screenshot({ path: '/tmp/sync-offline.png' });
  await appA.nav('Patients').click();
  await pa.getByRole('button', { name: 'Open chart: Okafor, Maya' }).click();
  await expect(pa.getByRole('link', { name: /^Note: / })).toHaveCount(1);

  // The network comes back: B syncs by itself, and the note reaches A.
  await b.setOffline(false);
  await expect(syncB.status()).toHaveAccessibleName(/Synced/, slow);
  await expect(async () => {
    await appA.nav('Patients').click();
    await pa.getByRole('button', { name: 'Open chart: Okafor, Maya' }).click();
    await expect(pa.getByRole('link', { name: /^Note: / })).toHaveCount(2, {
      timeout: 5_000,
    });
  }).toPass(slow);
  await pa
    .getByRole('link', { name: /^Note: / })
    .first()
    .click();
  const subjectiveA = pa.getByLabel('Subjective');
  if ((await subjectiveA.count()) === 0) {
    await pa.goBack();
    await pa
      .getByRole('link', { name: /^Note: / })
      .nth(1)
      .click();
  }
  await expect(pa.getByLabel('Subjective')).toHaveValue(
    'Charted while the network was down: calm, eating well.',
  );
  await a.close();
  await b.close();
});
