import { type Page, expect } from '@playwright/test';
import { chooseOption } from './choose-option';

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
    // 2 vials of 10 ml at 50 mg/ml, counted in mg: 500 mg each.
    await d.getByLabel('Per container (mg)').fill(String(lot.quantity / 2));
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
    await chooseOption(d.getByRole('textbox', { name: 'Lot' }), w.lot);
    await d.getByLabel('Amount wasted').fill(String(w.amount));
    await d.getByLabel('Method').fill('Drawn up and discarded into a drug disposal container');
    if (w.witness) {
      await chooseOption(d.getByRole('textbox', { name: 'Witness' }), w.witness);
    }
    await d.getByRole('button', { name: 'Record waste' }).click();
  }

  /** Stock on hand before the log: a new lot and its initial inventory. */
  async initialInventory(lot: { number: string; counted: number; expiry: string }) {
    const d = this.dialog();
    await this.page.getByRole('button', { name: 'Initial inventory' }).click();
    await d.getByLabel('Product').fill('Ketamine HCl 100 mg/ml, 5 ml vial');
    await d.getByLabel('Lot number').fill(lot.number);
    await d.getByLabel('Expiry').fill(lot.expiry);
    await d.getByLabel('Quantity on hand').fill(String(lot.counted));
    await d.getByRole('button', { name: 'Record initial inventory' }).click();
  }

  /** A physical count of a lot; kind is the option's label (Routine count by default). */
  async count(c: { lot: RegExp; counted: number; kind?: string; note?: string }) {
    const d = this.dialog();
    await this.page.getByRole('button', { name: 'Record count' }).click();
    await chooseOption(d.getByRole('textbox', { name: 'Lot' }), c.lot);
    if (c.kind) {
      await chooseOption(d.getByRole('textbox', { name: 'Kind of count' }), c.kind);
    }
    await d.getByLabel('Quantity on hand').fill(String(c.counted));
    if (c.note) await d.getByLabel('Note').fill(c.note);
    await d.getByRole('button', { name: 'Record count' }).click();
  }

  discrepancies() {
    return this.page.getByRole('alert').filter({ hasText: 'Count discrepancy' });
  }
}
