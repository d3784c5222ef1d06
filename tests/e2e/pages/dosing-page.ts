import { type Page, expect } from '@playwright/test';
import { chooseOption } from './choose-option';

/** Local date-time input value, `minutes` from now. */
export function localInput(minutes = 0, from = Date.now()): string {
  const d = new Date(from + minutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Eligibility evaluation and the dose record, as a prescriber uses them. */
export class DosingPage {
  constructor(readonly page: Page) {}

  /** When the last start was typed: the end is counted from the same clock, not a later one. */
  private startTypedAt?: number;

  dialog() {
    return this.page.getByRole('dialog');
  }

  async startDose(doseMg: number) {
    const page = this.page;
    await page.getByRole('button', { name: 'Record dose' }).click();
    await this.dialog().getByLabel('Dose (mg)').fill(String(doseMg));
    await this.dialog().getByRole('button', { name: 'Start dose record' }).click();
  }

  async signEligibleEvaluation(passphrase: string) {
    const page = this.page;
    await page.getByRole('button', { name: 'Eligibility evaluation' }).click();
    await expect(page.getByRole('heading', { name: 'Eligibility evaluation' })).toBeVisible();
    await page
      .getByLabel('Psychiatric history')
      .fill(
        'Major depression since 2015; sertraline and venlafaxine without remission. No psychosis or mania.',
      );
    await page.getByLabel('Medical history').fill('Well-controlled asthma.');
    await page
      .getByLabel('Current medications')
      .fill('Lorazepam 0.5 mg as needed\nBupropion 150 mg');
    for (const group of await page.getByRole('radiogroup').all()) {
      const no = group.getByRole('radio', { name: 'No' });
      if ((await no.count()) > 0) await no.check();
    }
    await page.getByRole('radio', { name: 'Eligible', exact: true }).check();
    await expect(page.getByText('Lorazepam 0.5 mg as needed: benzodiazepine')).toBeVisible();
    await page.getByRole('button', { name: 'Sign evaluation' }).click();
    await this.confirm(passphrase);
    await expect(page.getByText(/^Signed by /)).toBeVisible();
  }

  async confirm(passphrase: string, button = 'Sign') {
    await this.dialog().getByLabel('Passphrase').fill(passphrase);
    await this.dialog().getByRole('button', { name: button }).click();
    await expect(this.page.getByRole('dialog')).toHaveCount(0);
  }

  async fillDetails(d: { weightKg: number; lot: RegExp; startInMinutes?: number }) {
    const page = this.page;
    await page.getByLabel('Weight (kg)').fill(String(d.weightKg));
    await page.getByLabel('Weight measured on').fill(localInput(0).slice(0, 10));
    await chooseOption(page.getByRole('textbox', { name: 'Lot' }), d.lot);
    await this.expectSaved();
    if (d.startInMinutes !== undefined) await this.recordStart(d.startInMinutes);
  }

  /** The dose record autosaves (no Save button): its one status badge says when it is in. */
  async expectSaved() {
    await expect(this.page.getByRole('status', { name: 'Dose record: Saved' })).toBeVisible();
  }

  /** Recording the start is an explicit action (refused while a finding before dosing stands). */
  async recordStart(inMinutes: number) {
    const page = this.page;
    this.startTypedAt = Date.now();
    await page.getByLabel('Infusion start').fill(localInput(inMinutes, this.startTypedAt));
    await page.getByRole('button', { name: 'Record infusion start' }).click();
  }

  /** Records the infusion start and rate (refused while a finding before dosing stands). */
  async startInfusion(inMinutes: number, rateMgPerHour: number) {
    const page = this.page;
    await page.getByLabel('Starting rate (mg/h)').fill(String(rateMgPerHour));
    await this.recordStart(inMinutes);
  }

  async endInfusion(inMinutes: number) {
    const page = this.page;
    // From the clock the start was typed by: a slow run must not lengthen the infusion.
    await page.getByLabel('Infusion end').fill(localInput(inMinutes, this.startTypedAt));
    await this.expectSaved();
  }

  async addVitals(v: { sys: number; dia: number; hr: number; at?: string }) {
    const page = this.page;
    await page.getByLabel('Systolic').fill(String(v.sys));
    await page.getByLabel('Diastolic').fill(String(v.dia));
    await page.getByLabel('Heart rate', { exact: true }).fill(String(v.hr));
    if (v.at) await page.getByLabel('Taken at').fill(v.at);
    await page.getByRole('button', { name: 'Add vitals' }).click();
  }

  async discharge(escort: string, at: string) {
    const page = this.page;
    for (const label of [
      'Vital signs back near baseline',
      'Sedation resolved',
      'Dissociation resolved',
      'Alert and oriented',
    ])
      await page.getByRole('checkbox', { name: label }).check();
    await page.getByLabel('Discharged at').fill(at);
    await page.getByLabel('Escort').fill(escort);
    await this.expectSaved();
  }
}
