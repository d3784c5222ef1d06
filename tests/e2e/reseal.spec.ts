/**
 * Issue 13 point 5 as a clinic sees it: an administrator changes the clinic key; the charts on
 * this computer move to the new key in the background (progress in the header and in Settings →
 * Storage and backup), a lock in the middle pauses it, and after unlocking it finishes — every
 * record in IndexedDB is then sealed under version 2 and every chart still opens.
 */
import { type Page, expect, test } from '@playwright/test';
import { AppPage } from './pages/app-page';

test.describe.configure({ timeout: 300_000 });
const slow = { timeout: 60_000 };
const AVERY = { username: 'avery', passphrase: 'ketamine demo clinic' };

/** How many records IndexedDB holds under each clinic key version (read raw, as a disk would be). */
function recordVersions(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('kat-chart');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const rows = await new Promise<{ keyVersion: number }[]>((res, rej) => {
      const r = db.transaction('records').objectStore('records').getAll();
      r.onsuccess = () => res(r.result as { keyVersion: number }[]);
      r.onerror = () => rej(r.error);
    });
    db.close();
    const out: Record<string, number> = {};
    for (const row of rows) out[row.keyVersion] = (out[row.keyVersion] ?? 0) + 1;
    return out;
  });
}

test('after a key change the charts here move to the new key in the background; a lock in the middle loses nothing', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await page.getByRole('button', { name: 'Explore a demo clinic' }).click();
  await expect(page.getByText('Sam Patel · Prescriber')).toBeVisible({ timeout: 240_000 });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await app.signIn(AVERY.username, AVERY.passphrase);
  await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible(slow);
  const before = await recordVersions(page);
  expect(Object.keys(before)).toEqual(['1']);

  await app.nav('Settings').click();
  await page.getByRole('tab', { name: 'Clinic server' }).click();
  await page.getByRole('button', { name: 'Change the clinic key now' }).click();
  await page.getByRole('button', { name: 'Make a new clinic key' }).click();
  await expect(page.getByText('Clinic key version 2 is now active.')).toBeVisible(slow);
  // Locked straight away: the re-seal stops between batches, every chart stays as it was.
  await app.lock();
  const paused = await recordVersions(page);
  expect((paused['1'] ?? 0) + (paused['2'] ?? 0)).toBe(before['1']);

  await app.unlock(AVERY.passphrase);
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible(slow);
  await page.getByRole('tab', { name: 'Storage and backup' }).click();
  const card = page.getByRole('region', { name: 'Charts and the clinic key' });
  await expect(card).toContainText(
    'Every chart on this computer is sealed under clinic key version 2',
    slow,
  );
  // Finished: no badge in the header, nothing left under version 1.
  await expect(page.getByLabel(/Sealing charts under the new clinic key/)).toHaveCount(0);
  const after = await recordVersions(page);
  expect(after['1'] ?? 0).toBe(0);
  expect(after['2']).toBeGreaterThanOrEqual(before['1']!);
  await page.mouse.move(700, 10);
  await app.expectAccessible('storage and backup, charts sealed under the new key');
  await page.screenshot({ path: '/tmp/i13r-reseal-done.png' });

  await page.getByRole('tab', { name: 'Clinic server' }).click();
  await expect(
    page.getByText(/Every chart on this computer is sealed under clinic key version 2/),
  ).toBeVisible();

  // Every chart still opens.
  await app.nav('Patients').click();
  const first = page.getByRole('table', { name: 'Patients' }).getByRole('button').first();
  const name = (await first.textContent())!;
  await first.click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible(slow);
  // Its course opens and reads (drawn around the screen only, so the newest visits show).
  const course = page.getByRole('list', { name: 'Treatment course' });
  await expect(course.getByRole('listitem').first()).toBeVisible();
  await expect(course).toContainText(/session|log entry|evaluation/i);
});
