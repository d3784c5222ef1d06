/**
 * Settings → Clinic server says, in plain words, how far this computer verified the clinic's
 * membership record and whether every change must be signed by its writer (issue 13: the author
 * rule, `require-authors`, is signed when a clinic is created).
 */
import { expect, test } from '@playwright/test';
import { AppPage } from './pages/app-page';
import { SyncPage } from './pages/sync-page';

test.describe.configure({ timeout: 180_000 });

test('a new clinic’s membership record reads as verified, with writers’ signatures required', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const app = new AppPage(page);
  await app.open();
  await app.createClinic();
  await new SyncPage(page).openServerSettings();

  const card = page.getByRole('region', { name: 'Clinic membership record' });
  await expect(card.getByTestId('trust-verified')).toHaveText(
    /^All \d+ entries this computer holds were checked in order, each against the signature of an administrator at that point, back to the clinic’s founding administrator\. None was refused\.$/,
    { timeout: 30_000 },
  );
  await expect(card.getByText('Verified', { exact: true })).toBeVisible();
  await expect(card.getByText('Writers required', { exact: true })).toBeVisible();
  await expect(card.getByTestId('trust-author-rule')).toContainText(
    'Each change signed by its writer: On: every change must carry the signature of the person who wrote it',
  );
  await expect(card.getByTestId('trust-author-rule')).toContainText(
    'It has been so since the clinic began to sync.',
  );
  await card.scrollIntoViewIfNeeded();
  await app.expectAccessible('clinic membership record with the author rule');
  await page.screenshot({ path: '/tmp/h54-trust-status.png' });
});
