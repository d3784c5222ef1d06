/**
 * Disclosures accounted (issue 18 point 3; HIPAA 45 CFR 164.528): every print and export asks who
 * it is for; the administrator prints the patient's accounting of disclosures, which lists a copy
 * sent to a court as owed and a copy for another provider's treatment apart, with their recipients.
 */
import { expect, test } from '@playwright/test';
import { AppPage, signInWhenShown } from './pages/app-page';
import { demoIds } from './pages/demo-ids';
import { answerDisclosure } from './pages/disclosure-dialog';
import { readDownloadedPdf } from './pages/pdf';

test('a print to a court is asked for, listed in the accounting of disclosures and in its PDF', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const app = new AppPage(page);
  await app.open();
  await page.getByRole('button', { name: 'Explore a demo clinic' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible({ timeout: 180_000 });
  const ids = await demoIds(page);
  await page.evaluate((p) => (location.hash = `#/patients/${p}`), ids.id!);
  const consent = page.getByRole('region', { name: 'Consent' });

  // Cancelling the question prints nothing.
  await consent.getByRole('button', { name: 'Save signed forms as PDF' }).click();
  const dialog = page.getByRole('dialog', { name: 'Who is this for?' });
  await dialog.getByRole('radio', { name: 'A court, attorney or law enforcement' }).check();
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await expect(dialog.getByText('Write the name of the person or organisation')).toBeVisible();
  await page.mouse.move(0, 0);
  await app.expectAccessible('who is this for');
  await page.screenshot({ path: '/tmp/disclosure-dialog.png' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(consent.getByRole('status')).toHaveCount(0);

  const download = page.waitForEvent('download');
  await consent.getByRole('button', { name: 'Save signed forms as PDF' }).click();
  await answerDisclosure(page, {
    to: 'A court, attorney or law enforcement',
    name: 'County Court, case 24-117',
    note: 'subpoena of Dec 1',
  });
  await download;
  await expect(consent.getByRole('status')).toContainText('saved');
  const popup = page.waitForEvent('popup');
  await consent.getByRole('button', { name: 'Print signed forms' }).click();
  await answerDisclosure(page, {
    to: 'Another health-care provider',
    name: 'Dr. Lee, Riverside Psychiatry',
  });
  await popup;

  // The administrator (Avery) prints the accounting the patient asked for.
  await page.evaluate(() => (location.hash = '#/'));
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInWhenShown(page, 'avery', 'ketamine demo clinic');
  await expect(page.getByText('· Administrator')).toBeVisible({ timeout: 30_000 });
  await page.evaluate((p) => (location.hash = `#/patients/${p}/disclosures`), ids.id!);
  await expect(page.getByRole('heading', { name: 'Accounting of disclosures' })).toBeVisible();
  const owed = page.getByRole('table', { name: 'Disclosures to account for' });
  await expect(owed.getByRole('row')).toHaveCount(2);
  await expect(owed).toContainText('County Court, case 24-117');
  await expect(owed).toContainText('Required by law (subpoena, court order): subpoena of Dec 1');
  await expect(owed).toContainText('Sam Patel');
  const exempt = page.getByRole('table', { name: 'Released copies not owed in the accounting' });
  await expect(exempt).toContainText('Dr. Lee, Riverside Psychiatry');
  await expect(exempt).toContainText('Treatment, payment or operations (164.528(a)(1)(i))');
  await page.mouse.move(0, 0);
  await app.expectAccessible('accounting of disclosures');
  await page.screenshot({ path: '/tmp/disclosures.png', fullPage: true });

  const saved = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save as PDF' }).click();
  await answerDisclosure(page, { to: 'The patient or their personal representative' });
  const pdf = await readDownloadedPdf(await saved, 'disclosures', { layout: false });
  const text = pdf.text.replace(/\s+/g, ' ');
  expect(text).toContain('Accounting of disclosures');
  expect(text).toContain('County Court, case 24-117');
  expect(text).toContain('Dr. Lee, Riverside Psychiatry');

  // The audit log says who each copy went to.
  await page.evaluate(() => (location.hash = '#/audit'));
  const events = page.getByRole('table', { name: 'Audit events' });
  await expect(events).toContainText('to County Court, case 24-117');
  await expect(events).toContainText('Accounting of disclosures PDF, 1 disclosure');
});
