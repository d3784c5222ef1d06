import { expect, test } from '@playwright/test';
import { ADMIN } from './pages/app-page';
import { SAM, setUpPatientReadyToDose } from './pages/clinic-setup';
import { localInput } from './pages/dosing-page';

test("the administrator changes the vitals interval on Settings → Dosing rules and the dose screen's reminder follows it", async ({
  page,
}) => {
  test.setTimeout(360_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const { app, dosing } = await setUpPatientReadyToDose(page);

  // an infusion under way: baseline taken, started, the next reading due by the clinic's interval
  await dosing.startDose(35);
  await dosing.fillDetails({ weightKg: 70, lot: /^KX2291/ });
  await dosing.addVitals({ sys: 124, dia: 78, hr: 72, at: localInput(-2) });
  // a minute ahead: the consent was signed moments ago, and a start in that same minute is refused
  await dosing.startInfusion(1, 52.5);
  const reminder = page.getByRole('status').filter({ hasText: 'Vitals due' });
  await expect(reminder).toContainText('Vitals (every 15 min)');

  // the administrator sees every threshold with its default and source, and changes one
  await page.getByRole('button', { name: 'Sign out' }).click();
  await app.signIn(ADMIN.username, ADMIN.passphrase);
  await app.nav('Settings').click();
  await page.getByRole('tab', { name: 'Dosing rules' }).click();
  const rules = page.getByRole('form', { name: 'Dosing rules' });
  await expect(rules.getByLabel('Vitals interval (minutes)')).toHaveValue('15');
  await expect(rules).toContainText('Default: 15 minutes');
  await expect(rules).toContainText('Default: 140 mmHg');
  await expect(rules).toContainText('Spravato PI, Warnings (increase in blood pressure)');
  await expect(rules).toContainText('Default: 0.5 mg/kg');

  // a BP threshold of 400 is refused in words, and nothing is saved
  const systolic = rules.getByLabel('In-office systolic threshold (mmHg)');
  await systolic.fill('400');
  await rules.getByLabel('Vitals interval (minutes)').fill('10');
  await rules.getByRole('button', { name: 'Save dosing rules' }).click();
  await expect(
    rules.getByText('The in-office systolic threshold must be a whole number from 100 to 200 mmHg'),
  ).toBeVisible();
  await expect(page.getByText(/^Dosing rules saved/)).toHaveCount(0);
  await systolic.fill('140');
  await rules.getByRole('button', { name: 'Save dosing rules' }).click();
  await expect(page.getByText('Dosing rules saved: Vitals interval 15 → 10 minutes')).toBeVisible();
  await app.expectAccessible('settings, dosing rules');
  await page.screenshot({ path: '/tmp/dosing-rules-1280x800.png' });
  await page.screenshot({ path: '/tmp/dosing-rules-full.png', fullPage: true });

  // the change is on the audit log, with the old and the new value
  await app.nav('Audit log').click();
  await expect(page.getByText('Dosing rules: Vitals interval 15 → 10 minutes')).toBeVisible();

  // back at the bedside: the same dose now asks for vitals every 10 minutes
  await page.getByRole('button', { name: 'Sign out' }).click();
  await app.signIn(SAM.username, SAM.passphrase);
  // (in the patient list: the app header also links to the dose in progress, by the patient's name)
  await page
    .getByRole('main')
    .getByRole('link', { name: /Okafor, Maya/ })
    .first()
    .click();
  await page
    .getByRole('link', { name: /^Dose record/ })
    .first()
    .click();
  await expect(reminder).toContainText('Vitals (every 10 min)');
});
