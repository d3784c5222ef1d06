import { type Page, expect } from '@playwright/test';
import { ADMIN, AppPage } from './app-page';
import { ConsentPage } from './consent-page';
import { DosingPage } from './dosing-page';
import { InventoryPage } from './inventory-page';
import { PatientsPage } from './patients-page';

export const SAM = { name: 'Sam Patel', username: 'sam', passphrase: 'orchard rain at noon' };

/**
 * A new clinic whose administrator (optionally) adds contraindications to the eligibility
 * checklist, adds the prescriber Sam and stores the standard consent forms, then hands over: Sam
 * is signed in when this returns.
 */
export async function setUpPrescriberClinic(
  page: Page,
  opts: { contraindications?: string[] } = {},
) {
  const app = new AppPage(page);
  await app.open();
  // Filled here with exact labels: the first-run screen also offers "Join a clinic" (its own user name).
  await page.getByLabel('Clinic name').fill(ADMIN.clinic);
  await page.getByLabel('Your full name').fill(ADMIN.name);
  await page.getByLabel('User name', { exact: true }).fill(ADMIN.username);
  await page.getByLabel('Passphrase', { exact: true }).fill(ADMIN.passphrase);
  await page.getByLabel('Repeat passphrase').fill(ADMIN.passphrase);
  await page.getByRole('button', { name: 'Create clinic' }).click();
  // Argon2id and the clinic's keys: longer than expect's default on a busy machine (AppPage too).
  await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible({ timeout: 60_000 });
  await app.setClinicContact();
  if (opts.contraindications?.length) {
    await app.nav('Settings').click();
    for (const item of opts.contraindications) {
      await page.getByLabel('New contraindication').fill(item);
      await page.getByRole('button', { name: 'Add to checklist' }).click();
    }
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Clinic settings saved').last()).toBeVisible();
    await expect(
      page.getByRole('list', { name: 'Contraindications the clinic adds' }),
    ).toContainText(opts.contraindications[0]!);
    await app.expectAccessible('clinic settings with added contraindications');
    await page.screenshot({ path: '/tmp/settings-contraindications.png', fullPage: true });
  }
  await app.addUser({ ...SAM, roles: ['Prescriber'] });
  await app.nav('Consent forms').click(); // the first visit stores the standard forms
  await expect(page.getByRole('table', { name: 'Consent forms' }).getByRole('row')).toHaveCount(9);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await app.signIn(SAM.username, SAM.passphrase);
  await expect(page.getByText(`${SAM.name} · Prescriber`)).toBeVisible();
  return app;
}

/**
 * The prescriber clinic with a lot of KX2291 in stock and Maya Okafor eligible (evaluation signed)
 * and consented for in-office IV ketamine: ready for a dose. Sam is signed in on her chart.
 */
export async function setUpPatientReadyToDose(page: Page) {
  const app = await setUpPrescriberClinic(page);
  const dosing = new DosingPage(page);
  await app.nav('Inventory').click();
  await new InventoryPage(page).receive({ number: 'KX2291', quantity: 1000, expiry: '2030-06-30' });
  await app.nav('Patients').click();
  await new PatientsPage(page).addPatient({ first: 'Maya', last: 'Okafor', dob: '1987-04-12' });
  await dosing.signEligibleEvaluation(SAM.passphrase);
  await page.getByRole('button', { name: 'Back to chart' }).click();
  await new ConsentPage(page).signPacket('In-office IV ketamine', SAM, undefined, {
    name: ADMIN.name,
    passphrase: ADMIN.passphrase,
  });
  await expect(page.getByText(/consent forms signed for Okafor, Maya/)).toBeVisible();
  return { app, dosing };
}
