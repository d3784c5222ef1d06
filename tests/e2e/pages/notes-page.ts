import { type Page, expect } from '@playwright/test';
import { AppPage, signInWhenShown } from './app-page';
import { PatientsPage } from './patients-page';
import { chooseOption } from './choose-option';

export const THERAPIST = {
  name: 'Dana Reyes',
  username: 'dana',
  passphrase: 'quiet garden lantern',
};

/** Sign in again after a reload; key derivation is slow on a busy machine, so wait for it. */
export async function signInAgain(page: Page) {
  await signInWhenShown(page, THERAPIST.username, THERAPIST.passphrase);
  await expect(page.getByText(`${THERAPIST.name} · Therapist`)).toBeVisible({ timeout: 60_000 });
}

/** A new clinic, a therapist colleague signed in, and one patient's chart open. */
export async function openChartAsTherapist(
  page: Page,
  patient = { first: 'Maya', last: 'Okafor' },
) {
  const app = new AppPage(page);
  await app.open();
  await app.createClinic();
  await app.addUser({ ...THERAPIST, roles: ['Therapist'] });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInAgain(page);
  await app.nav('Patients').click();
  await new PatientsPage(page).addPatient({ ...patient, dob: '1987-04-12' });
  return app;
}

/** The note editor and the signed note as a therapist sees them. */
export class NotesPage {
  constructor(readonly page: Page) {}

  async start(template: string, visit?: string) {
    await this.page.getByRole('button', { name: 'New note' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'New note' });
    await dialog.getByRole('radio', { name: template, exact: true }).check();
    if (visit) {
      await chooseOption(dialog.getByRole('textbox', { name: 'Visit' }), visit);
    }
    await dialog.getByRole('button', { name: 'Start note' }).click();
    await expect(this.saveState()).toBeVisible();
  }

  saveState() {
    return this.page.getByRole('status', { name: /^Draft:/ });
  }

  observation() {
    return this.page.getByLabel('Observation');
  }

  async addLine(text: string) {
    await this.observation().fill(text);
    await this.observation().press('Enter');
  }

  lines() {
    return this.page.getByRole('list', { name: 'Charted lines' }).getByRole('listitem');
  }

  async sign(passphrase: string) {
    await this.page.getByRole('button', { name: 'Sign note' }).click();
    await this.confirm('Sign this note', passphrase, 'Sign note');
  }

  async addAddendum(text: string, reason: string, passphrase: string) {
    await this.page.getByRole('button', { name: 'Add addendum' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Add addendum' });
    await dialog.getByLabel('Addendum').fill(text);
    await dialog.getByLabel('Reason').fill(reason);
    await dialog.getByRole('button', { name: 'Sign addendum' }).click();
    await this.confirm('Sign the addendum', passphrase, 'Sign addendum');
  }

  async confirm(title: string, passphrase: string, button: string) {
    const dialog = this.page.getByRole('dialog', { name: title });
    await dialog.getByLabel('Passphrase').fill(passphrase);
    await dialog.getByRole('button', { name: button }).click();
    await expect(dialog).toHaveCount(0);
  }
}
