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

  /**
   * The list draws only the rows around the screen (issue 20), yet tells screen readers its whole
   * length and each row's place, and the keyboard reaches every row: Tab row by row to the last,
   * Ctrl+Home/End and the arrow keys; the focused row stays focused when scrolled away.
   */
  async expectWholeListByKeyboard(count: number) {
    const page = this.page;
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: size.width, height: 500 });
    try {
      const table = page.getByRole('table', { name: 'Patients' });
      const row = (n: number) => table.locator(`tr[aria-rowindex="${n + 1}"]`);
      const open = (n: number) => row(n).getByRole('button', { name: /^Open chart: / });
      await expect(table).toHaveAttribute('aria-rowcount', String(count + 1));
      await expect(row(1)).toBeVisible();
      expect(await this.rows().count()).toBeLessThan(count + 1);
      await expect(row(count)).toHaveCount(0);

      await open(1).focus();
      for (let n = 2; n <= count; n++) {
        await page.keyboard.press('Tab');
        await expect(open(n)).toBeFocused();
        await expect(open(n)).toBeInViewport();
      }
      await page.keyboard.press('Control+Home');
      await expect(open(1)).toBeFocused();
      await expect(row(count)).toHaveCount(0);
      await page.keyboard.press('Control+End');
      await expect(open(count)).toBeFocused();
      await expect(open(count)).toBeInViewport();
      await page.keyboard.press('ArrowUp');
      await expect(open(count - 1)).toBeFocused();
      await page.evaluate(() => window.scrollTo(0, 0));
      await expect(row(1)).toBeVisible();
      await expect(open(count - 1)).toBeFocused();
      await page.keyboard.press('PageUp');
      await expect(open(count - 11)).toBeFocused();
      await expect(open(count - 11)).toBeInViewport();
    } finally {
      await page.setViewportSize(size);
      await page.evaluate(() => window.scrollTo(0, 0));
    }
  }

  rows() {
    return this.page.getByRole('table', { name: 'Patients' }).getByRole('row');
  }
}
