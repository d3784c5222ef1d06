/**
 * Issue 14 finding 0, as a clinic meets it: the same draft open on two computers, both offline,
 * a different sentence typed into the same field on each, both "Saved"; they come back online at
 * the same moment, so both upload before either downloads (a gate in front of the real
 * `server/main.ts` holds the first upload until the second has arrived, as a slow network would).
 * Both sentences must survive on both computers — the merged note and a flagged conflict copy —
 * and each open editor must show what is stored, at once.
 */
import { expect, test } from '@playwright/test';
import { type NetworkGate, startNetworkGate } from '../adversary/network-gate';
import { ADMIN, AppPage } from './pages/app-page';
import { type ClinicServer, startClinicServer } from './pages/clinic-server';
import { NotesPage, THERAPIST, signInAgain } from './pages/notes-page';
import { PatientsPage } from './pages/patients-page';
import { SyncPage } from './pages/sync-page';

let server: ClinicServer;
let gate: NetworkGate;
test.beforeAll(async () => {
  server = await startClinicServer();
  gate = await startNetworkGate(server.url);
});
test.afterAll(async () => {
  await gate?.close();
  await server?.stop();
});

const START = 'Slept well after the session.';
const ON_A = 'Slept well after the session. Office computer: calmer, eating again.';
const ON_B = 'Slept well after the session. Laptop: tearful at night, no suicidal thoughts.';

test('two computers upload the same draft before either downloads: both texts kept, editors show what is stored', async ({
  browser,
}) => {
  test.setTimeout(420_000);
  const slow = { timeout: 90_000 };
  const a = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const b = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const [pa, pb] = [await a.newPage(), await b.newPage()];
    const [appA, appB] = [new AppPage(pa), new AppPage(pb)];
    const [syncA, syncB] = [new SyncPage(pa), new SyncPage(pb)];

    // Computer A sets up the clinic (through the gate) and its therapist; B joins.
    await appA.open();
    await appA.createClinic();
    await syncA.openServerSettings();
    await syncA.connectFirstDevice(gate.url, server.setupToken);
    const code = await syncA.createEnrollmentCode();
    await appA.addUser({ ...THERAPIST, roles: ['Therapist'] });
    await appB.open();
    await syncB.join(
      { serverUrl: gate.url, code, username: ADMIN.username, passphrase: ADMIN.passphrase },
      syncA,
    );

    // Dana starts a note on A; it reaches B, where she opens the same draft.
    await pa.getByRole('button', { name: 'Sign out' }).click();
    await signInAgain(pa);
    await appA.nav('Patients').click();
    await new PatientsPage(pa).addPatient({ first: 'Maya', last: 'Okafor', dob: '1987-04-12' });
    const notesA = new NotesPage(pa);
    const notesB = new NotesPage(pb);
    await notesA.start('SOAP note', 'Integration session');
    const subjectiveA = pa.getByLabel('Subjective');
    await subjectiveA.fill(START);
    await expect(notesA.saveState()).toHaveText('Saved');
    await expect(syncA.status()).toHaveAccessibleName(/Synced/, slow);

    await pb.getByRole('button', { name: 'Sign out' }).click();
    await expect(async () => {
      await signInAgain(pb); // Dana's key reaches B with a sync round
    }).toPass({ timeout: 120_000, intervals: [5_000] });
    const openChartB = pb.getByRole('button', { name: 'Open chart: Okafor, Maya' });
    await expect(async () => {
      await appB.nav('Patients').click();
      await expect(openChartB).toBeVisible({ timeout: 5_000 });
    }).toPass(slow);
    await openChartB.click();
    await expect(pb.getByRole('link', { name: 'Note: SOAP note' })).toBeVisible(slow);
    await pb.getByRole('link', { name: 'Note: SOAP note' }).click();
    const subjectiveB = pb.getByLabel('Subjective');
    await expect(subjectiveB).toHaveValue(START);

    // Both computers lose the network; Dana types a different sentence into the same field on each.
    await a.setOffline(true);
    await b.setOffline(true);
    await subjectiveA.fill(ON_A);
    await expect(notesA.saveState()).toHaveText('Saved');
    await subjectiveB.fill(ON_B);
    await expect(notesB.saveState()).toHaveText('Saved');
    await expect(syncA.status()).toHaveAccessibleName(/waiting/, slow);
    await expect(syncB.status()).toHaveAccessibleName(/waiting/, slow);

    // They come back together: neither upload reaches the server before the other has been sent,
    // so both computers pull (nothing new) and push before either sees the other's text.
    gate.holdUploads(2);
    await a.setOffline(false);
    await b.setOffline(false);
    await expect.poll(() => gate.waitingUploads(), slow).toBe(0);
    await expect(syncA.status()).toHaveAccessibleName(/Synced/, slow);
    await expect(syncB.status()).toHaveAccessibleName(/Synced/, slow);

    // On both computers: B's later sentence is the note, A's is kept as a flagged copy; each open
    // editor shows what is stored, and the banner quotes the OTHER version.
    for (const [page, app] of [
      [pa, appA],
      [pb, appB],
    ] as const) {
      const banner = page.getByRole('alert').filter({
        hasText: 'Two versions of this note were edited on different computers',
      });
      await expect(banner).toBeVisible(slow);
      await expect(page.getByLabel('Subjective')).toHaveValue(ON_B);
      await expect(banner).toContainText(`The other version reads: “${ON_A}”`);
      await expect(new NotesPage(page).saveState()).toHaveText('Saved');
      await app.expectAccessible('note merged from two computers');
    }
    await expect(pa.getByText('Updated with changes saved elsewhere')).toBeVisible();
    await pa.screenshot({ path: '/tmp/sync-concurrent-a.png' });

    // The copy is one click away and holds A's sentence, on both computers.
    for (const page of [pa, pb]) {
      await page
        .getByRole('alert')
        .getByRole('link', { name: 'Open the other version' })
        .first()
        .click();
      await expect(page.getByLabel('Subjective')).toHaveValue(ON_A);
      await page.goBack();
    }
    await pb.screenshot({ path: '/tmp/sync-concurrent-b.png' });
  } finally {
    await a.close();
    await b.close();
  }
});
