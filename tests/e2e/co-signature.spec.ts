import { type Page, expect, test } from '@playwright/test';
import { AppPage, signInWhenShown } from './pages/app-page';
import { NotesPage, THERAPIST } from './pages/notes-page';
import { PatientsPage } from './pages/patients-page';
import { answerDisclosure } from './pages/disclosure-dialog';
import { readDownloadedPdf } from './pages/pdf';

test.describe.configure({ timeout: 420_000 });
test.use({ viewport: { width: 1280, height: 800 }, actionTimeout: 60_000 });

const SUPERVISOR = { name: 'Lee Park', username: 'lee', passphrase: 'harbor lights at dusk' };

async function signInAs(page: Page, who: { name: string; username: string; passphrase: string }) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInWhenShown(page, who.username, who.passphrase);
  await expect(page.getByText(`${who.name} · Therapist`)).toBeVisible({ timeout: 60_000 });
}

async function writeAndSign(page: Page, app: AppPage, text: string) {
  await app.nav('Patients').click();
  await page.getByRole('button', { name: 'Open chart: Okafor, Maya' }).click();
  const notes = new NotesPage(page);
  await notes.start('SOAP note', 'Integration session');
  await page.getByLabel('Subjective').fill(text);
  await expect(notes.saveState()).toHaveText('Saved');
  await notes.sign(THERAPIST.passphrase);
  await expect(page.getByText('Signed by Dana Reyes')).toBeVisible();
}

test('a supervised therapist’s notes: co-signed by the supervisor, or returned and answered (issue 16 point 6)', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.createClinic();
  await app.addUser({ ...THERAPIST, roles: ['Therapist'] });
  await app.addUser({ ...SUPERVISOR, roles: ['Therapist'] });

  // The administrator puts Dana under Lee's supervision.
  await page.getByLabel('Supervisor of Dana Reyes').selectOption({ label: 'Lee Park' });
  await expect(
    page.getByText('Dana Reyes’s signed notes now go to Lee Park to co-sign.'),
  ).toBeVisible();
  await expect(page.getByLabel('Supervisor of Dana Reyes')).toHaveValue(/.+/);
  await page.screenshot({ path: '/tmp/co-sign-users.png' });
  await app.expectAccessible('settings users with supervisors');

  await signInAs(page, THERAPIST);
  await app.nav('Patients').click();
  await new PatientsPage(page).addPatient({ first: 'Maya', last: 'Okafor', dob: '1987-04-12' });
  await writeAndSign(page, app, 'Named the fear of letting go; felt lighter.');
  const panel = page.getByRole('region', { name: 'Supervisor co-signature' });
  await expect(panel).toContainText('Co-signature requested');
  await expect(panel).toContainText('from Lee Park');
  await expect(panel.getByRole('button', { name: 'Co-sign' })).toHaveCount(0);
  await writeAndSign(page, app, 'Sleep better; no intrusive memories this week.');

  // The supervisor finds both under My work today, counted in the navigation.
  await signInAs(page, SUPERVISOR);
  await app.nav('My work today').click();
  const requests = page.getByRole('table', { name: 'Co-signature requests' });
  await expect(requests.getByRole('row')).toHaveCount(3);
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByLabel(/2 waiting in My work today/),
  ).toBeVisible();
  await page.screenshot({ path: '/tmp/co-sign-my-work.png' });
  await app.expectAccessible('my work with co-signature requests');

  await requests.getByRole('link').first().click();
  await expect(page.getByRole('region', { name: 'Supervisor co-signature' })).toBeVisible();
  await page.getByRole('button', { name: 'Co-sign' }).click();
  const dialog = page.getByRole('dialog', { name: 'Co-sign this note' });
  await dialog.getByLabel('Your passphrase').fill('not my passphrase at all');
  await dialog.getByRole('button', { name: 'Co-sign' }).click();
  await expect(dialog.getByRole('alert')).toContainText('not correct');
  await app.expectAccessible('co-sign dialog');
  await dialog.getByLabel('Your passphrase').fill(SUPERVISOR.passphrase);
  await dialog.getByRole('button', { name: 'Co-sign' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText('Signed by Dana Reyes')).toBeVisible();
  await expect(page.getByTestId('co-signed-line')).toContainText(/^Co-signed by Lee Park on .+/);
  await page.screenshot({ path: '/tmp/co-sign-note.png' });
  await app.expectAccessible('co-signed note');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save as PDF' }).click();
  await answerDisclosure(page);
  const pdf = await readDownloadedPdf(await download, 'co-signed-note', { layout: false });
  const text = pdf.text.replace(/\s+/g, ' ');
  expect(text).toContain('Named the fear of letting go');
  expect(text).toContain('Electronically signed by Dana Reyes');
  expect(text).toContain('Co-signed by Lee Park (supervisor)');

  // The second note goes back to Dana with a comment.
  await app.nav('My work today').click();
  await expect(requests.getByRole('row')).toHaveCount(2);
  await requests.getByRole('link').first().click();
  await page.getByRole('button', { name: 'Return with a comment' }).click();
  const back = page.getByRole('dialog', { name: 'Return to the author' });
  await back
    .getByLabel('What should the author answer or correct?')
    .fill('Please record the C-SSRS screen result.');
  await back.getByLabel('Your passphrase').fill(SUPERVISOR.passphrase);
  await app.expectAccessible('return dialog');
  await page.screenshot({ path: '/tmp/co-sign-return-dialog.png' });
  await back.getByRole('button', { name: 'Return with comment' }).click();
  await expect(back).toHaveCount(0);
  await expect(page.getByRole('note')).toContainText('Returned by Lee Park, ');
  await expect(page.getByRole('note')).toContainText('Please record the C-SSRS screen result.');

  // Dana sees it returned, answers in an addendum, and it goes back to Lee.
  await signInAs(page, THERAPIST);
  await app.nav('My work today').click();
  const returned = page.getByRole('table', { name: 'Notes returned to you' });
  await expect(returned).toContainText('Please record the C-SSRS screen result.');
  await page.screenshot({ path: '/tmp/co-sign-returned-my-work.png' });
  await app.expectAccessible('my work with a returned note');
  await returned.getByRole('link').first().click();
  await expect(page.getByRole('note')).toContainText('Answer it in an addendum');
  await new NotesPage(page).addAddendum(
    'C-SSRS screen negative.',
    'Supervisor asked',
    THERAPIST.passphrase,
  );
  await expect(page.getByRole('region', { name: 'Supervisor co-signature' })).toContainText(
    'Co-signature requested',
  );
  await app.nav('My work today').click();
  await expect(page.getByRole('table', { name: 'Notes returned to you' })).toHaveCount(0);
});
