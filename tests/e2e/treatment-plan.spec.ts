import { type Page, expect, test } from '@playwright/test';
import { SAM, setUpPatientReadyToDose } from './pages/clinic-setup';
import { signInWhenShown } from './pages/app-page';
import { type DosingPage, localInput } from './pages/dosing-page';

test.describe.configure({ timeout: 600_000 });
test.use({ viewport: { width: 1280, height: 800 } });

const GOALS = 'Sleep through the night again\nGo back to teaching by spring';

/** One IV dose from start to signature, as the prescriber charts it. */
async function signOneDose(page: Page, dosing: DosingPage) {
  await dosing.startDose(35);
  await expect(page.getByRole('heading', { name: 'Dose record' })).toBeVisible();
  await dosing.fillDetails({ weightKg: 70, lot: /^KX2291/ });
  await dosing.addVitals({ sys: 124, dia: 80, hr: 72, at: localInput(0) });
  await dosing.startInfusion(1, 52.5);
  await expect(page.getByRole('alert').filter({ hasText: /^Dosing cannot start yet/ })).toHaveCount(
    0,
  );
  await dosing.addVitals({ sys: 126, dia: 82, hr: 74, at: localInput(20) });
  await dosing.endInfusion(43);
  await dosing.discharge('Daniel Okafor (husband)', localInput(90));
  await page.getByRole('button', { name: 'Sign dose record' }).click();
  await dosing.confirm(SAM.passphrase);
  await expect(page.getByText(`Signed by ${SAM.name}`)).toBeVisible();
}

const toChart = (page: Page) =>
  page.getByRole('region', { name: 'Patient' }).getByRole('link', { name: 'Okafor, Maya' }).click();

/** A calendar date as the app shows it (the browser's locale, medium style). */
const shownDate = (page: Page, daysFromToday: number) =>
  page.evaluate((n) => {
    const d = new Date();
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(
      new Date(d.getFullYear(), d.getMonth(), d.getDate() + n),
    );
  }, daysFromToday);

test('a prescriber writes a 6-dose plan, nothing typed is lost, and after two signed doses the chart shows dose 2 of 6 and the next due', async ({
  page,
}) => {
  const { app, dosing } = await setUpPatientReadyToDose(page);
  const panel = page.getByRole('region', { name: 'Treatment plan' });
  await expect(panel).toContainText('No treatment plan yet');
  await panel.getByRole('button', { name: 'Write a treatment plan' }).click();

  // A typical course to start from, in the patient's program (consented for in-office IV).
  await expect(page.getByRole('heading', { name: 'Treatment plan' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Program' })).toHaveValue('In-office IV ketamine');
  await expect(page.getByRole('textbox', { name: 'Route' })).toHaveValue('IV infusion');
  await expect(page.getByRole('textbox', { name: 'Dosing sessions planned' })).toHaveValue('6');
  await expect(page.getByRole('textbox', { name: 'How often' })).toHaveValue('Twice a week');
  await page.getByRole('textbox', { name: 'Maintenance every (weeks)' }).fill('4');
  const planUrl = page.url();
  await page.getByLabel('Goals').fill(GOALS);
  await app.expectAccessible('treatment plan form');
  await page.screenshot({ path: '/tmp/treatment-plan-form-1280x800.png', fullPage: true });

  // Reload before signing: everything typed is still there.
  await page.waitForTimeout(600); // the kept draft is written 300 ms after the last keystroke
  await page.reload();
  await signInWhenShown(page, SAM.username, SAM.passphrase);
  await expect(page.getByText(`${SAM.name} · Prescriber`)).toBeVisible({ timeout: 60_000 });
  if (!(await page.getByRole('heading', { name: 'Treatment plan' }).isVisible()))
    await page.goto(planUrl);
  await expect(page.getByText(/What you typed on .+ was kept/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByLabel('Goals')).toHaveValue(GOALS);
  await expect(page.getByRole('textbox', { name: 'Maintenance every (weeks)' })).toHaveValue('4');

  await page.getByRole('button', { name: 'Sign plan' }).click();
  await dosing.confirm(SAM.passphrase);
  await expect(panel).toContainText('No dose yet: 0 of 6');
  await expect(panel).toContainText('In-office IV ketamine · IV infusion · 6 dosing sessions');
  await expect(panel).toContainText('maintenance every 4 weeks');

  // Two doses, each signed (the second the same day: a warning, nothing required).
  await signOneDose(page, dosing);
  await page.getByRole('button', { name: 'Back to chart' }).click();
  await signOneDose(page, dosing);
  await page.getByRole('button', { name: 'Back to chart' }).click();

  await expect(panel).toContainText('Dose 2 of 6');
  // twice a week: the next dose three days after the last one
  await expect(panel).toContainText(`Next dose (3 of 6) due ${await shownDate(page, 3)}`);
  await expect(panel).toContainText(/Integration after the last dosing session .+ not yet charted/);
  await expect(panel.getByText('Overdue', { exact: false })).toHaveCount(0);
  await app.expectAccessible('chart with the treatment plan');
  await page.screenshot({ path: '/tmp/treatment-plan-chart-1280x800.png' });

  // The goals come to the integration summary, to review.
  await page.getByRole('button', { name: 'Integration summary' }).click();
  const goals = page.getByRole('region', { name: 'Treatment plan goals, to review' });
  await expect(goals).toContainText('Sleep through the night again');
  await expect(goals).toContainText('Dose 2 of 6');
  await page.screenshot({ path: '/tmp/treatment-plan-integration-1280x800.png' });
  await toChart(page);

  // A revision replaces the plan; the first version is kept and readable.
  await panel.getByRole('button', { name: 'Revise plan' }).click();
  await expect(page.getByRole('heading', { name: 'Revise the treatment plan' })).toBeVisible();
  await expect(page.getByLabel('Goals')).toHaveValue(GOALS);
  await page.getByRole('textbox', { name: 'Dosing sessions planned' }).fill('8');
  await page.getByRole('button', { name: 'Sign plan' }).click();
  await dosing.confirm(SAM.passphrase);
  await expect(panel).toContainText('Dose 2 of 8');
  await panel.getByRole('link', { name: /Open the plan and earlier versions/ }).click();
  const versions = page.getByRole('table', { name: 'Versions of the treatment plan' });
  await expect(versions.getByRole('row')).toHaveCount(3);
  await expect(versions).toContainText('In force');
  await expect(versions).toContainText('Replaced');
  await app.expectAccessible('treatment plan view');
  await page.screenshot({ path: '/tmp/treatment-plan-view-1280x800.png', fullPage: true });
});
