import { type Page, expect } from '@playwright/test';

export type NewPatient = {
  first: string;
  last: string;
  dob: string;
  phone?: string;
  chart?: string;
  address?: string;
};

export class PatientsPage {
  constructor(readonly page: Page) {}

  async addPatient(p: NewPatient) {
    const page = this.page;
    await page.getByRole('button', { name: 'Add patient' }).click();
    await this.fill(p);
    await page.getByRole('button', { name: 'Save patient' }).click();
    await expect(
      page.getByRole('heading', { name: new RegExp(`${p.last}, ${p.first}`) }),
    ).toBeVisible();
  }

  async fill(p: Partial<NewPatient>) {
    const page = this.page;
    if (p.first !== undefined) await page.getByLabel('First name').fill(p.first);
    if (p.last !== undefined) await page.getByLabel('Last name').fill(p.last);
    if (p.dob !== undefined) await page.getByLabel('Date of birth').fill(p.dob);
    if (p.phone !== undefined) await page.getByLabel('Phone', { exact: true }).fill(p.phone);
    if (p.chart !== undefined) await page.getByLabel('Chart number').fill(p.chart);
    if (p.address !== undefined) await page.getByLabel('Address').fill(p.address);
  }

  search(text: string) {
    return this.page.getByLabel('Search patients').fill(text);
  }

  rows() {
    return this.page.getByRole('table', { name: 'Patients' }).getByRole('row');
  }
}
