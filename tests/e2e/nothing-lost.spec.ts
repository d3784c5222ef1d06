import { expect, test } from '@playwright/test';
import { ADMIN, AppPage } from './pages/app-page';
import { NotesPage, THERAPIST, openChartAsTherapist, signInAgain } from './pages/notes-page';

// Each test makes its own clinic (Argon2id key derivation, several sign-ins and signatures).
test.describe.configure({ timeout: 240_000 });

/** Lock with Alt+L while the cursor is in `field` (a text box or a dialog's text box). */
async function lockFrom(
  app: AppPage,
  field: ReturnType<AppPage['page']['getByLabel']>,
  who: { name: string; passphrase: string } = THERAPIST,
) {
  await field.focus();
  await field.press('Alt+L');
  await expect(app.page.getByRole('button', { name: 'Unlock' })).toBeVisible();
  await app.unlock(who.passphrase);
  await expect(app.page.getByText(new RegExp(`^${who.name} · `))).toBeVisible({
    timeout: 60_000,
  });
}

test('a half-typed live-charting line survives a reload and a lock (Alt+L from the field)', async ({
  page,
}) => {
  const app = await openChartAsTherapist(page);
  const notes = new NotesPage(page);
  await notes.start('Dosing session');
  await notes.addLine('eyes closed, breathing slowly');
  await expect(notes.saveState()).toHaveText('Saved');

  // Typed, not yet entered: no Enter pressed.
  await notes.observation().fill('reports seeing colours, smil');
  await page.waitForTimeout(500);
  await page.reload();
  await signInAgain(page);
  await expect(notes.observation()).toHaveValue('reports seeing colours, smil');
  await expect(page.getByRole('status').filter({ hasText: 'was kept' })).toBeVisible();
  await expect(notes.lines()).toHaveCount(1);

  await notes.observation().press('End');
  await notes.observation().pressSequentially('ing');
  await lockFrom(app, notes.observation());
  await expect(notes.observation()).toHaveValue('reports seeing colours, smiling');
  await notes.observation().press('Enter');
  await expect(notes.lines()).toHaveCount(2);
  await expect(notes.lines().nth(1).getByRole('textbox')).toHaveValue(
    'reports seeing colours, smiling',
  );
  // Entered lines are the note's own; the pending line is empty and stays empty after a reload.
  await expect(notes.observation()).toHaveValue('');
  await expect(notes.saveState()).toHaveText('Saved');
  await page.reload();
  await signInAgain(page);
  await expect(notes.lines()).toHaveCount(2);
  await expect(notes.observation()).toHaveValue('');
});

test('the addendum and entered-in-error dialogs keep their text across reload and lock', async ({
  page,
}) => {
  const app = await openChartAsTherapist(page);
  const notes = new NotesPage(page);
  await notes.start('SOAP note', 'Integration session');
  await page.getByLabel('Subjective').fill('Slept well after the session.');
  await notes.sign(THERAPIST.passphrase);
  await expect(page.getByText('Signed by Dana Reyes')).toBeVisible();

  await page.getByRole('button', { name: 'Add addendum' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add addendum' });
  await dialog.getByLabel('Addendum').fill('Partner called at 18:20: patient resting.');
  await dialog.getByLabel('Reason').fill('Late entry');
  await page.waitForTimeout(500);
  await page.reload();
  await signInAgain(page);
  // The dialog opens again by itself with what was typed, and says so.
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Addendum')).toHaveValue(
    'Partner called at 18:20: patient resting.',
  );
  await expect(dialog.getByLabel('Reason')).toHaveValue('Late entry');
  await expect(dialog.getByRole('status')).toContainText('was kept');

  await dialog.getByLabel('Addendum').press('End');
  await dialog.getByLabel('Addendum').pressSequentially(' Called back 18:40.');
  await lockFrom(app, dialog.getByLabel('Addendum'));
  await expect(dialog.getByLabel('Addendum')).toHaveValue(
    'Partner called at 18:20: patient resting. Called back 18:40.',
  );
  await dialog.getByRole('button', { name: 'Sign addendum' }).click();
  await notes.confirm('Sign the addendum', THERAPIST.passphrase, 'Sign addendum');
  await expect(page.getByRole('region', { name: 'Addenda' })).toContainText('Called back 18:40.');
  // Signed: the kept text is gone, a new addendum starts blank.
  await page.reload();
  await signInAgain(page);
  await expect(dialog).toHaveCount(0);
  await page.getByRole('button', { name: 'Add addendum' }).click();
  await expect(dialog.getByLabel('Addendum')).toHaveValue('');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Mark entered in error' }).click();
  const error = page.getByRole('dialog', { name: 'Mark entered in error' });
  await error.getByLabel('Why is this note in error?').fill('Charted on the wrong pat');
  await page.waitForTimeout(500);
  await page.reload();
  await signInAgain(page);
  await expect(error.getByLabel('Why is this note in error?')).toHaveValue(
    'Charted on the wrong pat',
  );
  await app.expectAccessible('entered-in-error dialog, restored');
});

test('Alt+L locks from a text box and from inside a dialog', async ({ page }) => {
  const app = await openChartAsTherapist(page);
  await lockFrom(app, page.getByRole('searchbox', { name: 'Search this chart' }));
  await page.getByRole('button', { name: 'New note' }).click();
  const dialog = page.getByRole('dialog', { name: 'New note' });
  await dialog.getByRole('radio', { name: 'SOAP note' }).focus();
  await page.keyboard.press('Alt+L');
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible();
});

test('the booking form says something was kept only when something was typed', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.createClinic();
  await app.nav('Schedule').click();
  const form = page.getByRole('region', { name: 'Add appointment' });
  // The program list loads after the form is drawn: its default is not typing.
  await expect(form.getByRole('textbox', { name: 'Program' })).not.toHaveValue('');
  await page.waitForTimeout(500);
  await page.reload();
  await app.signIn(ADMIN.username, ADMIN.passphrase);
  await app.nav('Schedule').click();
  await expect(form.getByRole('textbox', { name: 'Program' })).not.toHaveValue('');
  await page.waitForTimeout(500);
  await expect(form.getByRole('status')).toHaveCount(0);

  await form.getByLabel('Time').fill('10:30');
  await lockFrom(app, form.getByLabel('Time'), ADMIN);
  await expect(form.getByLabel('Time')).toHaveValue('10:30');
  await expect(form.getByRole('status')).toContainText('was kept');
});
