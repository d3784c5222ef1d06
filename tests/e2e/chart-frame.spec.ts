import { expect, test } from '@playwright/test';
import { AppPage } from './pages/app-page';
import { MeasuresPage } from './pages/measures-page';
import { NotesPage, THERAPIST, openChartAsTherapist } from './pages/notes-page';
import { chooseOption } from './pages/choose-option';

test.describe.configure({ timeout: 240_000 });
test.use({ viewport: { width: 1280, height: 800 } });

test('the patient banner names the patient on every screen, stays in view, and carries the risk alert', async ({
  page,
}) => {
  const app = await openChartAsTherapist(page);
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel('Chart number').fill('KC-10012');
  await page.getByLabel('Allergies').fill('Penicillin — rash');
  await page.getByLabel('Flags').fill('Needs an escort home');
  await page.getByRole('button', { name: 'Save patient' }).click();

  const banner = page.getByRole('region', { name: 'Patient' });
  await expect(banner.getByRole('heading', { name: 'Okafor, Maya' })).toBeVisible();
  await expect(banner).toContainText(/Born Apr 12, 1987 · \d+ years · Chart KC-10012/);
  await expect(banner).toContainText('Allergies: Penicillin — rash');
  await expect(banner).toContainText('Flags: Needs an escort home');
  await expect(banner).toContainText('No program yet');

  // A PHQ-9 with thoughts of self-harm: the banner carries the alert on every screen after it.
  const measures = new MeasuresPage(page);
  await page.getByRole('button', { name: 'Record measure' }).click();
  await expect(banner).toContainText('Allergies: Penicillin — rash'); // the measure screen too
  await measures.answerAll([...Array(8).fill('Several days'), 'More than half the days']);
  await measures.signAndSave(THERAPIST.passphrase);
  await expect(banner.getByText(/^Suicide risk — PHQ-9, /)).toBeVisible();

  // Clinicians read alerts and the course before consent paperwork.
  const alerts = page.getByRole('region', { name: 'Risk alerts' });
  const course = page.getByRole('heading', { name: 'Treatment course' });
  const consent = page.getByRole('heading', { name: 'Consent', exact: true });
  const before = async (a: typeof alerts, b: typeof alerts) =>
    a.evaluate(
      (x, y) => !!(x.compareDocumentPosition(y!) & Node.DOCUMENT_POSITION_FOLLOWING),
      await b.elementHandle(),
    );
  expect(await before(alerts, course)).toBe(true);
  expect(await before(course, consent)).toBe(true);
  await app.expectAccessible('chart with banner');
  await page.screenshot({ path: '/tmp/i16-chart-banner.png' });

  await new NotesPage(page).start('SOAP note', 'Integration session');
  await expect(banner.getByRole('link', { name: 'Okafor, Maya' })).toBeVisible();
  await expect(banner.getByText(/^Suicide risk — PHQ-9, /)).toBeVisible();
  // Sticky: after scrolling to the bottom of a long note the banner is still under the header.
  await page.getByLabel('Plan').fill('Line\n'.repeat(60));
  await page.mouse.wheel(0, 4000);
  await expect(async () => {
    const box = (await banner.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(50);
    expect(box.y).toBeLessThan(80);
  }).toPass();
  await expect(banner).toBeInViewport();
  await app.expectAccessible('note with banner');
  await page.screenshot({ path: '/tmp/i16-note-banner-scrolled.png' });
});

test('a late entry records the date of service and the writing time, and the course groups by visit', async ({
  page,
}) => {
  await openChartAsTherapist(page);
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
  const day = `${twoDaysAgo.getFullYear()}-${String(twoDaysAgo.getMonth() + 1).padStart(2, '0')}-${String(twoDaysAgo.getDate()).padStart(2, '0')}`;
  await page.getByRole('button', { name: 'New note' }).click();
  const dialog = page.getByRole('dialog', { name: 'New note' });
  await dialog.getByRole('radio', { name: 'SOAP note', exact: true }).check();
  await chooseOption(dialog.getByRole('textbox', { name: 'Visit' }), 'Integration session');
  await chooseOption(dialog.getByRole('textbox', { name: 'Place' }), 'Telehealth');
  await dialog.getByLabel('Date of service').fill(day);
  await dialog.getByLabel('Time of service').fill('14:00');
  await dialog.getByLabel('Minutes').fill('50');
  await expect(dialog.getByRole('status')).toContainText('Late entry');
  await new AppPage(page).expectAccessible('new note dialog, late entry');
  await page.screenshot({ path: '/tmp/i16-new-note-late.png' });
  await dialog.getByRole('button', { name: 'Start note' }).click();

  const late = page.getByText(/^Late entry — service .+ 14:00, written .+/);
  await expect(late).toBeVisible();
  await expect(
    page.getByText(/^Integration session · .+ 14:00–14:50 \(50 min\) · Telehealth$/),
  ).toBeVisible();
  await page.getByLabel('Subjective').fill('Reviewed the week by video.');
  await expect(new NotesPage(page).saveState()).toHaveText('Saved');

  await page
    .getByRole('region', { name: 'Patient' })
    .getByRole('link', { name: 'Okafor, Maya' })
    .click();
  const visit = page.getByRole('list', { name: 'Treatment course' }).getByRole('listitem').first();
  await expect(visit).toContainText(/Integration session.+14:00–14:50 \(50 min\) · Telehealth/);
  await expect(visit.getByRole('link', { name: 'Note: SOAP note' })).toBeVisible();
  await expect(visit).toContainText('Late entry — service');
  // A second note joins the same visit from the course.
  await visit.getByRole('button', { name: 'Add note to this visit' }).click();
  await expect(
    dialog.getByRole('radio', { name: /^Integration session, .+ — telehealth$/ }),
  ).toBeChecked();
  await dialog.getByRole('radio', { name: 'DAP note', exact: true }).check();
  await dialog.getByRole('button', { name: 'Start note' }).click();
  await expect(page.getByText(/^Integration session · .+ 14:00–14:50/)).toBeVisible();
  await page
    .getByRole('region', { name: 'Patient' })
    .getByRole('link', { name: 'Okafor, Maya' })
    .click();
  await expect(visit.getByRole('link', { name: /^Note: / })).toHaveCount(2);
  await new AppPage(page).expectAccessible('course grouped by visit');
  await page.screenshot({ path: '/tmp/i16-course-visits.png' });
});
