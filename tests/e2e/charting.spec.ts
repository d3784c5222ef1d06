import { statSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { ADMIN, AppPage } from './pages/app-page';
import { startClinicServer } from './pages/clinic-server';
import { MeasuresPage } from './pages/measures-page';
import { NotesPage, THERAPIST, openChartAsTherapist, signInAgain } from './pages/notes-page';
import { PatientsPage } from './pages/patients-page';
import { readDownloadedPdf } from './pages/pdf';
import { SyncPage } from './pages/sync-page';
import { answerDisclosure } from './pages/disclosure-dialog';

// Each test makes its own clinic (Argon2id key derivation, several sign-ins and signatures).
test.describe.configure({ timeout: 240_000 });

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('a therapist charts a dosing session live, loses nothing on reload, signs, and adds an addendum', async ({
  page,
}) => {
  const app = await openChartAsTherapist(page);
  const notes = new NotesPage(page);
  await notes.start('Dosing session');
  await expect(page.getByRole('timer')).toBeVisible();
  await app.expectAccessible('note editor (live charting)');

  await notes.addLine('tearful, reports warmth in chest');
  await page
    .getByRole('group', { name: 'Quick tags' })
    .getByRole('button', { name: 'calm' })
    .click();
  await notes.observation().press('Alt+3'); // third quick tag: nausea
  await expect(notes.lines()).toHaveCount(3);
  await expect(notes.lines().nth(0).getByRole('textbox')).toHaveValue(
    'tearful, reports warmth in chest',
  );
  await expect(notes.lines().nth(0)).toContainText(/\d{1,2}[:.]\d{2}/);
  await expect(notes.lines().nth(2).getByRole('textbox')).toHaveValue('nausea');
  // lines stay editable while the note is a draft
  await notes.lines().nth(1).getByRole('textbox').fill('calm, eyes closed');
  await expect(notes.saveState()).toHaveText('Saved');

  // Type steadily, then reload mid-word: every character typed 300 ms or more before the
  // reload must be back after signing in again.
  const field = page.getByLabel('Arrival and intention');
  await field.click();
  const text = 'Arrived with partner; intention: to rest and let go of the week.';
  const typedAt: number[] = [];
  for (const ch of text) {
    await page.keyboard.type(ch);
    typedAt.push(Date.now());
    await page.waitForTimeout(25); // a fast typist's pace
  }
  const reloadAt = Date.now();
  await page.reload();
  const mustKeep = text.slice(0, typedAt.filter((t) => reloadAt - t >= 300).length);
  expect(mustKeep.length).toBeGreaterThan(40);
  await signInAgain(page);
  await expect(field).toHaveValue(new RegExp(`^${escape(mustKeep)}`));
  await expect(notes.lines()).toHaveCount(3);
  await expect(notes.lines().nth(1).getByRole('textbox')).toHaveValue('calm, eyes closed');

  await notes.sign(THERAPIST.passphrase);
  await expect(page.getByText('Signed by Dana Reyes')).toBeVisible();
  await expect(page.getByRole('textbox')).toHaveCount(0); // nothing left to edit
  await expect(page.getByText(mustKeep)).toBeVisible();
  await expect(notes.lines().nth(0)).toContainText('tearful, reports warmth in chest');
  await app.expectAccessible('signed note');

  await notes.addAddendum(
    'Partner confirmed she drove the patient home at 16:10.',
    'Late entry',
    THERAPIST.passphrase,
  );
  const addenda = page.getByRole('region', { name: 'Addenda' });
  await expect(addenda).toContainText('Partner confirmed she drove the patient home');
  await expect(addenda).toContainText('Late entry');
  await expect(page.getByText(mustKeep)).toBeVisible(); // the original stays as signed
  await page.screenshot({ path: '/tmp/charting-signed-note.png', fullPage: true });

  await page.getByRole('link', { name: /Okafor, Maya/ }).click();
  // search within the chart finds live-charting lines and addenda, decrypted in memory
  await page.getByRole('searchbox', { name: 'Search this chart' }).fill('warmth');
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.getByRole('listitem')).toHaveCount(1);
  await expect(results).toContainText('tearful, reports warmth in chest');
  await expect(results.locator('mark')).toHaveText(['warmth']);
  await page.getByRole('searchbox', { name: 'Search this chart' }).fill('drove home');
  await expect(results).toContainText('Addendum');
  await app.expectAccessible('chart with search');
  await page
    .getByRole('search', { name: 'Chart search' })
    .screenshot({ path: '/tmp/charting-search.png' });
  await results.getByRole('link', { name: 'Addendum' }).click();
  await expect(page.getByRole('region', { name: 'Addenda' })).toBeVisible();
});

test('two windows on one draft: each shows at once what the other saved, so nothing is overwritten unseen', async ({
  page,
  context,
}) => {
  await openChartAsTherapist(page);
  const notes = new NotesPage(page);
  await notes.start('SOAP note', 'Integration session');
  const subjective = page.getByLabel('Subjective');
  await subjective.fill('First window text');
  await expect(notes.saveState()).toHaveText('Saved');

  const other = await context.newPage();
  await other.goto(page.url());
  await signInAgain(other);
  await expect(other.getByLabel('Subjective')).toHaveValue('First window text');
  await other.getByLabel('Subjective').fill('Second window text');
  await expect(new NotesPage(other).saveState()).toHaveText('Saved');

  // The first window shows what is stored now, at once (issue 14 point 7), and says why.
  await expect(subjective).toHaveValue('Second window text');
  await expect(page.getByText('Updated with changes saved elsewhere')).toBeVisible();
  await page.screenshot({ path: '/tmp/charting-updated-elsewhere.png', fullPage: true });
  await subjective.fill('First window, typed later');
  await expect(notes.saveState()).toHaveText('Saved');
  await expect(other.getByLabel('Subjective')).toHaveValue('First window, typed later');
});

test('PHQ-9: due before the dosing session, scored live, item 9 raises a lasting alert, trend after three', async ({
  page,
}) => {
  const app = await openChartAsTherapist(page);
  const notes = new NotesPage(page);
  const measures = new MeasuresPage(page);
  await notes.start('Dosing session');
  await page.getByRole('link', { name: /Okafor, Maya/ }).click();
  const due = page.getByRole('region', { name: 'Measures due' });
  await expect(due).toContainText('PHQ-9');
  await expect(due).toContainText('C-SSRS screener');
  await due.getByRole('button', { name: 'Record PHQ-9' }).click();

  const never = Array(9).fill('Not at all');
  await measures.answerAll(never.slice(0, 8));
  await expect(measures.score()).toContainText('Answered 8 of 9');
  await measures.question(9).getByRole('radio', { name: 'Several days' }).check();
  await expect(measures.score()).toContainText('Total 1 of 27');
  await expect(measures.score()).toContainText('None–minimal');
  await expect(measures.score().getByRole('alert')).toContainText('Assess suicide risk today');
  await app.expectAccessible('PHQ-9 form');
  await page.screenshot({ path: '/tmp/charting-phq9-form.png', fullPage: false });
  await measures.signAndSave(THERAPIST.passphrase);

  await expect(measures.riskAlerts()).toContainText('PHQ-9 question 9');
  await page.reload(); // the alert is part of the chart, not of the moment
  await signInAgain(page);
  await expect(measures.riskAlerts()).toContainText('PHQ-9 question 9');
  await expect(due).not.toContainText('PHQ-9');

  await page.getByRole('button', { name: 'Record measure' }).click();
  await measures.answerAll(Array(9).fill('Several days'));
  await expect(measures.score()).toContainText('Total 9 of 27');
  await measures.signAndSave(THERAPIST.passphrase);
  await expect(measures.riskAlerts()).toBeVisible();

  await page.getByRole('button', { name: 'Record measure' }).click();
  await measures.answerAll([...Array(8).fill('More than half the days'), 'Not at all']);
  await expect(measures.score()).toContainText('Moderately severe');
  await measures.signAndSave(THERAPIST.passphrase);
  // a newer PHQ-9 with question 9 at "Not at all" clears the alert
  await expect(measures.riskAlerts()).toHaveCount(0);
  const trend = measures.trend();
  await expect(trend).toContainText('PHQ-9');
  await expect(trend).toContainText('latest 16 (Moderately severe), 3 scores');
  await expect(trend.getByRole('img', { name: /^PHQ-9 trend: .+ 1, .+ 9, .+ 16$/ })).toBeVisible();
  await expect(trend.locator('.recharts-reference-area')).toHaveCount(5); // the five PHQ-9 bands
  await app.expectAccessible('chart with measures');
  await trend.screenshot({ path: '/tmp/charting-trend.png' });
  await page.screenshot({ path: '/tmp/charting-chart.png', fullPage: true });
});

test('integration summary: the patient handout PDF has the clinic, patient, date and no clinician notes', async ({
  page,
}) => {
  const app = await openChartAsTherapist(page);
  await new NotesPage(page).start('Dosing session');
  await page.getByRole('link', { name: /Okafor, Maya/ }).click();
  await page.getByRole('button', { name: 'Integration summary' }).click();
  await expect(page.getByText(/^After the dosing session of/)).toBeVisible();

  await page.getByLabel('Insights').fill('Felt forgiveness toward her younger self.');
  const themes = page.getByRole('textbox', { name: 'Themes' });
  await themes.fill('Self-compassion');
  await themes.press('Enter');
  await themes.fill('Grief');
  await themes.press('Enter');
  await page.getByLabel('Emotions').fill('Sadness, then relief.');
  await page.getByLabel('Body sensations').fill('Warmth in the chest.');
  await page.getByLabel('Goals').fill('Call her sister this week.');
  await page.getByRole('checkbox', { name: 'Breathwork' }).check();
  await page.getByRole('checkbox', { name: 'Journaling' }).check();
  await page.getByLabel('Next steps').fill('Journal each morning for ten minutes.');
  await page.getByLabel('Next appointment').fill('2026-12-01T10:00');
  await page.getByLabel('Clinician notes').fill('Guarded affect; review dose with prescriber.');
  // no Save button: the summary saves itself as it is typed
  await expect(page.getByRole('status', { name: 'Summary: Saved' })).toBeVisible();
  await expect(page.getByText('Draft', { exact: true })).toBeVisible();
  await app.expectAccessible('integration summary');
  await page.screenshot({ path: '/tmp/charting-integration.png', fullPage: true });

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save handout as PDF' }).click();
  await answerDisclosure(page);
  // page 1 is also rendered to an image, for a person to look at (and to prove it renders)
  const handout = await readDownloadedPdf(await download, 'charting-handout', { layout: false });
  const text = handout.text.replace(/\s+/g, ' ');
  for (const expected of [
    'Lakeside Ketamine Clinic',
    'Maya Okafor',
    'Your integration summary',
    'Felt forgiveness toward her younger self.',
    'Self-compassion',
    'Warmth in the chest.',
    'Breathwork',
    'Journal each morning for ten minutes.',
    'Dec 1, 2026',
  ])
    expect(text).toContain(expected);
  expect(text).not.toContain('Guarded affect');
  expect(text).toMatch(/Session of \w{3} \d{1,2}, \d{4}/);
  expect(statSync('/tmp/charting-handout-1.png').size).toBeGreaterThan(10_000);

  await page.getByRole('button', { name: 'Sign summary' }).click();
  await new NotesPage(page).confirm(
    'Sign the integration summary',
    THERAPIST.passphrase,
    'Sign summary',
  );
  await expect(page.getByText('Signed', { exact: true })).toBeVisible();
  await expect(page.getByRole('status', { name: /^Summary:/ })).toHaveCount(0);
  await expect(page.getByLabel('Insights')).toHaveAttribute('readonly', '');
});

test('one draft edited offline on two computers: both versions kept, flagged, and the author keeps one', async ({
  browser,
}) => {
  test.setTimeout(420_000);
  const server = await startClinicServer();
  const a = await browser.newContext();
  const b = await browser.newContext();
  try {
    const [pa, pb] = [await a.newPage(), await b.newPage()];
    const [appA, appB] = [new AppPage(pa), new AppPage(pb)];
    const [syncA, syncB] = [new SyncPage(pa), new SyncPage(pb)];
    const slow = { timeout: 60_000 };

    // Computer A sets up the clinic and its therapist; computer B joins the clinic.
    await appA.open();
    await appA.createClinic();
    await syncA.openServerSettings();
    await syncA.connectFirstDevice(server.url, server.setupToken);
    const code = await syncA.createEnrollmentCode();
    await pa.getByRole('tab', { name: 'Users' }).click();
    await pa.getByLabel('Full name').fill(THERAPIST.name);
    await pa.getByLabel('User name').fill(THERAPIST.username);
    await pa.getByRole('checkbox', { name: 'Therapist' }).check();
    await pa.getByLabel('First passphrase').fill(THERAPIST.passphrase);
    await pa.getByRole('button', { name: 'Add user' }).click();
    await expect(pa.getByRole('table', { name: 'Users' })).toContainText(THERAPIST.username);
    await appB.open();
    await syncB.join(
      { serverUrl: server.url, code, username: ADMIN.username, passphrase: ADMIN.passphrase },
      syncA,
    );

    // Dana starts a note on A; it reaches B, where she opens it too.
    await pa.getByRole('button', { name: 'Sign out' }).click();
    await signInAgain(pa);
    await appA.nav('Patients').click();
    await new PatientsPage(pa).addPatient({ first: 'Maya', last: 'Okafor', dob: '1987-04-12' });
    const notesA = new NotesPage(pa);
    await notesA.start('SOAP note', 'Integration session');
    const subjectiveA = pa.getByLabel('Subjective');
    await subjectiveA.fill('Slept well after the session.');
    await expect(notesA.saveState()).toHaveText('Saved');

    await pb.getByRole('button', { name: 'Sign out' }).click();
    await expect(async () => {
      // Dana's key reaches B with a sync round; until then B does not know her.
      await signInAgain(pb);
    }).toPass({ timeout: 120_000, intervals: [5_000] });
    const openChartB = pb.getByRole('button', { name: 'Open chart: Okafor, Maya' });
    await expect(async () => {
      await new AppPage(pb).nav('Patients').click();
      await expect(openChartB).toBeVisible({ timeout: 5_000 });
    }).toPass(slow);
    await openChartB.click();
    await expect(pb.getByRole('link', { name: 'Note: SOAP note' })).toBeVisible(slow);
    await pb.getByRole('link', { name: 'Note: SOAP note' }).click();
    const subjectiveB = pb.getByLabel('Subjective');
    await expect(subjectiveB).toHaveValue('Slept well after the session.');

    // Both computers lose the network and Dana edits the same draft on each.
    await a.setOffline(true);
    await b.setOffline(true);
    await subjectiveA.fill('Slept well after the session. Office: calmer, eating again.');
    await expect(notesA.saveState()).toHaveText('Saved');
    await subjectiveB.fill('Slept well after the session. Laptop: tearful at night.');
    await expect(new NotesPage(pb).saveState()).toHaveText('Saved');
    // A must have noticed it is offline with the edit waiting; otherwise "Synced" below could
    // still be the status from before, and B might reach the server first.
    await expect(syncA.status()).toHaveAccessibleName(/waiting|Offline/, slow);
    await a.setOffline(false);
    await expect(syncA.status()).toHaveAccessibleName(/Synced/, slow);
    await b.setOffline(false);

    const banner = pb.getByRole('alert').filter({
      hasText: 'Two versions of this note were edited on different computers',
    });
    await expect(banner).toBeVisible({ timeout: 90_000 });
    await expect(banner).toContainText(
      'The other version reads: “Slept well after the session. Office: calmer, eating again.”',
    );
    await appB.expectAccessible('note with two versions');
    await pb.screenshot({ path: '/tmp/charting-conflict-banner.png', fullPage: true });

    // The other version is one click away, and flagged the same way.
    await banner.getByRole('link', { name: 'Open the other version' }).click();
    await expect(pb.getByLabel('Subjective')).toHaveValue(
      'Slept well after the session. Office: calmer, eating again.',
    );
    await expect(banner).toBeVisible();

    // My work today lists both drafts, flagged, however new they are.
    await appB.nav('My work today').click();
    const flagged = pb
      .getByRole('table', { name: 'Unsigned drafts' })
      .getByRole('row')
      .filter({ hasText: 'Two versions — choose one' });
    await expect(flagged).toHaveCount(2);
    await pb.screenshot({ path: '/tmp/charting-conflict-unsigned.png', fullPage: true });

    // Dana keeps the laptop's version; the office's is marked entered in error, still readable.
    await flagged.first().getByRole('link', { name: 'SOAP note' }).click();
    await expect(banner).toBeVisible();
    const laptop = (await pb.getByLabel('Subjective').inputValue()).includes('Laptop');
    await banner
      .getByRole('button', { name: laptop ? 'Keep this version' : 'Keep the other version' })
      .click();
    await pb
      .getByRole('dialog', { name: 'Keep one version?' })
      .getByRole('button', { name: 'Confirm' })
      .click();
    await expect(banner).toHaveCount(0);
    await expect(pb.getByLabel('Subjective')).toHaveValue(
      'Slept well after the session. Laptop: tearful at night.',
    );
    await appB.nav('My work today').click();
    const drafts = pb.getByRole('table', { name: 'Unsigned drafts' });
    await expect(drafts.getByRole('row')).toHaveCount(2); // the header and the version kept
    await expect(drafts).not.toContainText('Two versions');
  } finally {
    await a.close();
    await b.close();
    await server.stop();
  }
});
