/**
 * Copy forward (issue 16 point 7): a therapist starts this week's note from last week's signed one;
 * every copied section is visible, editable, and marked until it is changed; the note signs.
 */
import { expect, test } from '@playwright/test';
import { NotesPage, THERAPIST, openChartAsTherapist } from './pages/notes-page';
import { chooseOption } from './pages/choose-option';

test('a note started from the last signed one of its template: copied sections marked until edited', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const app = await openChartAsTherapist(page);
  const notes = new NotesPage(page);
  const backToChart = () =>
    page
      .getByRole('region', { name: 'Patient' })
      .getByRole('link', { name: 'Okafor, Maya' })
      .click();

  // Last week's note, signed.
  await notes.start('SOAP note', 'Integration session');
  await page.getByLabel('Subjective').fill('Sleeping better; fewer intrusive memories.');
  await page.getByLabel('Objective').fill('Calm, good eye contact.');
  await page.getByLabel('Assessment').fill('Improving; no safety concerns.');
  await page.getByLabel('Plan').fill('Journal daily; integration in one week.');
  await expect(notes.saveState()).toHaveText('Saved');
  await notes.sign(THERAPIST.passphrase);
  await backToChart();

  // No copy unless asked for; asked for, the sections arrive, marked.
  await page.getByRole('button', { name: 'New note' }).click();
  const dialog = page.getByRole('dialog', { name: 'New note' });
  await dialog.getByRole('radio', { name: 'DAP note', exact: true }).check();
  await expect(dialog.getByRole('checkbox', { name: /Start from the last/ })).toHaveCount(0);
  await dialog.getByRole('radio', { name: 'SOAP note', exact: true }).check();
  const copy = dialog.getByRole('checkbox', {
    name: /Start from the last “SOAP note”, signed .* by Dana Reyes/,
  });
  await copy.check();
  await chooseOption(dialog.getByRole('textbox', { name: 'Visit' }), 'Integration session');
  await dialog.getByRole('button', { name: 'Start note' }).click();
  await expect(notes.saveState()).toBeVisible();

  await expect(page.getByLabel('Plan')).toHaveValue('Journal daily; integration in one week.');
  const banner = page.getByRole('note').filter({ hasText: 'Copied forward' });
  // The source note is read after the draft opens: on a busy machine that takes a moment.
  await expect(banner).toContainText('4 sections are still exactly that note’s text', {
    timeout: 30_000,
  });
  await expect(page.getByText('Copied from the last note, not changed yet.')).toHaveCount(4);
  await page.mouse.move(0, 0);
  await app.expectAccessible('copied-forward note');
  await page.screenshot({ path: '/tmp/copy-forward.png' });

  await page.getByLabel('Subjective').fill('Slept poorly after a family visit.');
  await expect(notes.saveState()).toHaveText('Saved');
  await expect(banner).toContainText('3 sections are still exactly that note’s text');
  await expect(page.getByText('Copied from the last note, not changed yet.')).toHaveCount(3);

  // The mark survives a reload (it comes from the stored note, not the screen).
  await page.reload();
  await app.signIn(THERAPIST.username, THERAPIST.passphrase);
  await expect(page.getByRole('note').filter({ hasText: 'Copied forward' })).toContainText(
    '3 sections',
    { timeout: 30_000 },
  );
  await expect(page.getByLabel('Subjective')).toHaveValue('Slept poorly after a family visit.');
  await notes.sign(THERAPIST.passphrase);
  await expect(page.getByRole('button', { name: 'Add addendum' })).toBeVisible();
});
