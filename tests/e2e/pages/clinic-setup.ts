import { type Page, expect } from '@playwright/test';
import { ADMIN, AppPage } from './app-page';

export const SAM = { name: 'Sam Patel', username: 'sam', passphrase: 'orchard rain at noon' };

/**
 * A new clinic whose administrator adds the prescriber Sam and stores the standard consent forms,
 * then hands over: Sam is signed in when this returns.
 */
export async function setUpPrescriberClinic(page: Page) {
  const app = new AppPage(page);
  await app.open();
  // Filled here with exact labels: the first-run screen also offers "Join a clinic" (its own user name).
  await page.getByLabel('Clinic name').fill(ADMIN.clinic);
  await page.getByLabel('Your full name').fill(ADMIN.name);
  await page.getByLabel('User name', { exact: true }).fill(ADMIN.username);
  await page.getByLabel('Passphrase', { exact: true }).fill(ADMIN.passphrase);
  await page.getByLabel('Repeat passphrase').fill(ADMIN.passphrase);
  await page.getByRole('button', { name: 'Create clinic' }).click();
  await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible();
  await app.setClinicContact();
  await app.addUser({ ...SAM, roles: ['Prescriber'] });
  await app.nav('Consent forms').click(); // the first visit stores the standard forms
  await expect(page.getByRole('table', { name: 'Consent forms' }).getByRole('row')).toHaveCount(9);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await app.signIn(SAM.username, SAM.passphrase);
  await expect(page.getByText(`${SAM.name} · Prescriber`)).toBeVisible();
  return app;
}
