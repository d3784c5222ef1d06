import { type Page, expect } from '@playwright/test';

/** At-home programs: the prescription screen, the chart panel and the session screen. */
export class HomeProgramPage {
  constructor(readonly page: Page) {}

  panel() {
    return this.page.getByRole('heading', { name: 'At-home program' }).locator('..');
  }

  sessionsLeft() {
    return this.page.getByLabel(/^Sessions left: \d+ of \d+$/).first();
  }

  async prescribe(rx: {
    strengthMg: number;
    quantity: number;
    sessions: number;
    refills?: number;
    monitor: string;
    passphrase: string;
  }) {
    const page = this.page;
    await page.getByRole('button', { name: 'At-home prescription' }).click();
    await expect(page.getByRole('heading', { name: 'At-home prescription' })).toBeVisible();
    await page.getByLabel('Strength (mg per troche or tablet)').fill(String(rx.strengthMg));
    await page.getByLabel('Quantity dispensed').fill(String(rx.quantity));
    await page.getByLabel('Sessions allowed').fill(String(rx.sessions));
    await page.getByLabel('Refills allowed').fill(String(rx.refills ?? 0));
    await page
      .getByLabel('Dosing instructions')
      .fill(
        'Dissolve one troche under the tongue at the start of the video check-in; do not swallow for 15 minutes.',
      );
    await page.getByLabel('Treatment monitor').fill(rx.monitor);
    await page.getByRole('button', { name: 'Sign prescription' }).click();
    await this.confirm(rx.passphrase);
  }

  async confirm(passphrase: string) {
    const dialog = this.page.getByRole('dialog');
    await dialog.getByLabel('Passphrase').fill(passphrase);
    await dialog.getByRole('button', { name: 'Sign' }).click();
    await expect(this.page.getByRole('dialog')).toHaveCount(0);
  }

  async startSession() {
    await this.page.getByRole('button', { name: 'Chart at-home session' }).click();
  }

  /** The check-in: a reported reading, the monitor there, the dose taken now. */
  async checkIn(c: { sys: number; dia: number; hr: number; mg: number; takenAt: string }) {
    const page = this.page;
    await expect(page.getByRole('heading', { name: 'At-home session' })).toBeVisible();
    await page.getByLabel('Reported systolic').fill(String(c.sys));
    await page.getByLabel('Reported diastolic').fill(String(c.dia));
    await page.getByLabel('Reported heart rate').fill(String(c.hr));
    await page.getByRole('button', { name: 'Add reported reading' }).click();
    await expect(page.getByRole('table', { name: 'Reported vitals' })).toContainText(
      `${c.sys}/${c.dia}`,
    );
    const present = page.getByRole('radio', { name: 'Present', exact: true });
    await present.click();
    await expect(present).toBeChecked();
    await page.getByLabel('Dose taken (mg)').fill(String(c.mg));
    await page.getByLabel('Taken at').fill(c.takenAt);
    await page.getByRole('button', { name: 'Save dose taken' }).click();
  }

  async sign(passphrase: string) {
    await this.page.getByRole('button', { name: 'Sign session' }).click();
    await this.confirm(passphrase);
    await expect(this.page.getByText(/^Signed by /)).toBeVisible();
  }
}
