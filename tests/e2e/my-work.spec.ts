import { expect, test } from '@playwright/test';
import { NotesPage, THERAPIST, openChartAsTherapist } from './pages/notes-page';
import { SchedulePage } from './pages/schedule-page';

test.describe.configure({ timeout: 300_000 });
test.use({ viewport: { width: 1280, height: 800 } });

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

test('a therapist’s day: from today’s appointment a note with its visit and service time, found again under My work today, signed', async ({
  page,
}) => {
  const app = await openChartAsTherapist(page);
  await app.nav('Schedule').click();
  await new SchedulePage(page).book({
    patient: 'Okafor, Maya',
    day: today(),
    time: '00:05',
    visit: 'Integration session',
    clinician: THERAPIST.name,
    program: 'Telehealth integration',
  });

  await app.nav('My work today').click();
  await expect(page.getByRole('heading', { name: 'My work today' })).toBeVisible();
  const visits = page.getByRole('table', { name: 'Today’s visits' });
  const row = visits.getByRole('row', { name: /Okafor, Maya/ });
  await expect(row).toContainText('00:05 · 120 min');
  await expect(row).toContainText('Integration session');
  await expect(row.getByRole('link', { name: /^Consent (missing|withdrawn)/ })).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByLabel(/waiting in My work today/),
  ).toBeVisible();
  await app.expectAccessible('my work today');
  await page.screenshot({ path: '/tmp/i16-my-work.png' });

  // Start the note from the booking: the visit, its time of service and length come with it.
  await row.getByRole('button', { name: 'Start note' }).click();
  const dialog = page.getByRole('dialog', { name: 'New note' });
  await expect(
    dialog.getByRole('radio', { name: /^Integration session, booked .+ 00:05 \(120 min\)$/ }),
  ).toBeChecked();
  await expect(
    dialog.getByRole('radio', { name: 'Integration session', exact: true }),
  ).toBeChecked();
  await dialog.getByRole('button', { name: 'Start note' }).click();
  const notes = new NotesPage(page);
  await expect(
    page.getByText(
      /^Integration session · .+ 00:05–02:05 \(120 min\) · Telehealth · booked appointment$/,
    ),
  ).toBeVisible();
  await expect(page.getByText(/^Late entry/)).toHaveCount(0);
  await page.getByLabel('Insights and themes').fill('Named the fear of letting go; felt lighter.');
  await expect(notes.saveState()).toHaveText('Saved');

  // Leave it; My work today still has it: on the visit and among the drafts.
  await app.nav('Patients').click();
  await app.nav('My work today').click();
  await expect(row.getByRole('link', { name: 'Finish and sign the note' })).toBeVisible();
  const drafts = page.getByRole('table', { name: 'Unsigned drafts' });
  await expect(drafts.getByRole('row')).toHaveCount(2);
  await expect(drafts).not.toContainText('Overdue');
  await drafts.getByRole('link', { name: 'Integration session' }).click();
  await notes.sign(THERAPIST.passphrase);
  await expect(page.getByText('Signed by Dana Reyes')).toBeVisible();

  await app.nav('My work today').click();
  await expect(page.getByText('No unsigned drafts.')).toBeVisible();
  await expect(row.getByRole('button', { name: 'Start note' })).toHaveCount(0);
  await expect(row.getByRole('link', { name: 'Finish and sign the note' })).toHaveCount(0);
  await app.expectAccessible('my work today, note signed');
});
