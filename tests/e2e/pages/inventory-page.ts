import { type Page, expect } from '@playwright/test';

/** The controlled-substance log page. */
export class InventoryPage {
  constructor(readonly page: Page) {}

  dialog() {
    return this.page.getByRole('dialog');
  }

  onHand(lot: string) {
    return this.page.getByRole('cell', { name: `On hand, lot ${lot}` });
  }

  async receive(lot: { number: string; quantity: number; expiry: string }) {
    const d = this.dialog();
    await this.page.getByRole('button', { name: 'Receive stock' }).click();
    await d.getByLabel('Product').fill('Ketamine HCl 50 mg/ml, 10 ml vial');
    await d.getByLabel('Lot number').fill(lot.number);
    await d.getByLabel('Expiry').fill(lot.expiry);
    await d.getByLabel('Quantity received').fill(String(lot.quantity));
    await d.getByLabel('Containers').fill('2');
    await d.getByLabel('Supplier name').fill('Midwest Medical Supply');
    await d.getByLabel('Supplier address').fill('12 Depot Rd, Omaha, NE 68102');
    await d.getByLabel('Supplier DEA number').fill('RM1234563');
    await d.getByLabel('Invoice').fill('INV-881');
    await d.getByRole('button', { name: 'Record receipt' }).click();
    await expect(this.dialog()).toHaveCount(0);
  }

  /** Fills the waste form; `witness` undefined leaves it empty. */
  async waste(w: { lot: RegExp; amount: number; witness?: string }) {
    const d = this.dialog();
    if ((await d.count()) === 0)
      await this.page.getByRole('button', { name: 'Record waste' }).click();
    await d.getByRole('textbox', { name: 'Lot' }).click();
    await this.page.getByRole('option', { name: w.lot }).click();
    await d.getByLabel('Amount wasted').fill(String(w.amount));
    await d.getByLabel('Method').fill('Drawn up and discarded into a drug disposal container');
    if (w.witness) {
      await d.getByRole('textbox', { name: 'Witness' }).click();
      await this.page.getByRole('option', { name: w.witness }).click();
    }
    await d.getByRole('button', { name: 'Record waste' }).click();
  }
}
