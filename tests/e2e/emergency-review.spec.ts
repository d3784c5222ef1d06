/**
 * Emergency access with review (issue 18 point 4): a practice manager opens a note beyond their
 * role in an emergency; the administrator finds it waiting in the header, sees the reason and the
 * note read, and records a finding that stays in the audit log; the chart's access report lists
 * who opened it, on screen and as a PDF.
 */
import { expect, test } from '@playwright/test';
import { AppPage, signInWhenShown } from './pages/app-page';
import { demoIds } from './pages/demo-ids';
import { readDownloadedPdf } from './pages/pdf';
import { answerDisclosure } from './pages/disclosure-dialog';

const DEMO_PASSPHRASE = 'ketamine demo clinic';

test('an emergency access by a practice manager waits in the administrator’s review queue with the note read', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const app = new AppPage(page);
  await app.open();
  await page.getByRole('button', { name: 'Explore a demo clinic' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible({ timeout: 180_000 });
  const ids = await demoIds(page);
  const signInAs = async (username: string, role: string, mistypedFirst = 0) => {
    await page.evaluate(() => (location.hash = '#/'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    for (let i = 0; i < mistypedFirst; i++) {
      await signInWhenShown(page, `${username.slice(0, -1)}`, DEMO_PASSPHRASE);
      await expect(page.getByRole('alert')).toContainText('do not match', { timeout: 30_000 });
    }
    await signInWhenShown(page, username, DEMO_PASSPHRASE);
    await expect(page.getByText(`· ${role}`)).toBeVisible({ timeout: 30_000 });
  };

  // Jordan (practice manager) mistypes the user name three times, is refused a note, then opens
  // it under emergency access.
  await signInAs('jordan', 'Practice manager', 3);
  await expect(page.getByRole('link', { name: /Emergency access review/ })).toHaveCount(0);
  await page.evaluate(
    ([p, n]) => (location.hash = `#/patients/${p}/notes/${n}`),
    [ids.id!, ids.noteId!],
  );
  const refusal = page.getByRole('alert').filter({ hasText: 'You don’t have access to this' });
  await refusal.getByRole('button', { name: 'Emergency access…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Emergency access to this chart' });
  await dialog
    .getByLabel('Reason for emergency access')
    .fill('Patient called in crisis; the on-call prescriber asked for her last note');
  await dialog.getByRole('button', { name: 'Open chart in an emergency' }).click();
  await expect(page.getByText(/You are reading .*’s chart beyond your role/)).toBeVisible();
  await expect(refusal).toHaveCount(0);

  // Avery (administrator) sees it waiting in the navigation, on any screen, and reviews it.
  await signInAs('avery', 'Administrator');
  const nav = page.getByRole('navigation', { name: 'Main' });
  const review = nav.getByRole('link', { name: /Emergency access review/ });
  await expect(review.getByText('1', { exact: true })).toBeVisible({ timeout: 30_000 });
  await review.click();
  await expect(
    page.getByRole('heading', { name: 'Emergency access review', level: 2 }),
  ).toBeVisible();
  const card = page.getByRole('region', { name: /Jordan Lee opened .*’s chart/ });
  await expect(card).toContainText('To review');
  await expect(card).toContainText(
    'Reason given: Patient called in crisis; the on-call prescriber asked for her last note',
  );
  await expect(card.getByRole('link', { name: 'A note' })).toHaveAttribute(
    'href',
    `#/patients/${ids.id}/notes/${ids.noteId}`,
  );
  await page.mouse.move(0, 0);
  await app.expectAccessible('emergency access review');
  await page.screenshot({ path: '/tmp/emergency-review.png', fullPage: true });

  const finding = card.getByLabel('Your finding on Jordan Lee’s emergency access');
  await finding.fill('fine');
  await card.getByRole('button', { name: 'Record review' }).click();
  await expect(card.getByRole('alert')).toContainText('at least 10 characters');
  await finding.fill('Genuine crisis call; only the last session note was read.');
  await card.getByRole('button', { name: 'Record review' }).click();
  await expect(page.getByRole('heading', { name: 'Reviewed (1)' })).toBeVisible();
  await expect(card).toContainText('Genuine crisis call; only the last session note was read.');
  await expect(review.getByText('1', { exact: true })).toHaveCount(0);

  // The review is itself in the audit log, under the notice of the three failed sign-ins, which
  // the navigation counted.
  await expect(
    nav.getByRole('link', { name: /Audit log/ }).getByText('1', { exact: true }),
  ).toBeVisible();
  await nav.getByRole('link', { name: /Audit log/ }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Repeated failed sign-ins in the last 24 hours' }),
  ).toContainText('A user name not in this clinic: 3 failed tries on 1 computer');
  await page.screenshot({ path: '/tmp/audit-sign-in-failures.png' });
  await expect(page.getByRole('table', { name: 'Audit events' })).toContainText(
    'Emergency access reviewed',
  );

  // Who opened this chart: from the patient's chart, for the administrator, with a PDF.
  await page.evaluate((p) => (location.hash = `#/patients/${p}`), ids.id!);
  await page.getByRole('link', { name: 'Who opened this chart' }).click();
  await expect(
    page.getByRole('heading', { name: 'Who opened this chart', level: 2 }),
  ).toBeVisible();
  const people = page.getByRole('table', { name: 'People who opened the chart' });
  await expect(people.getByRole('row', { name: /Jordan Lee/ })).toContainText(
    '1 view, 1 emergency access, 1 refused attempt',
  );
  await page.mouse.move(0, 0);
  await app.expectAccessible('access report');
  await page.screenshot({ path: '/tmp/access-report.png', fullPage: true });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save as PDF' }).click();
  await answerDisclosure(page);
  const pdf = await readDownloadedPdf(await download, 'access-report', { layout: false });
  const text = pdf.text.replace(/\s+/g, ' ');
  expect(text).toContain('Access report — Harbor Light Ketamine Clinic');
  expect(text).toContain('Jordan Lee: 1 view, 1 emergency access, 1 refused attempt');
  // Saving it is itself recorded.
  await nav.getByRole('link', { name: /Audit log/ }).click();
  await expect(page.getByRole('table', { name: 'Audit events' })).toContainText(
    'Access report PDF',
  );
});
