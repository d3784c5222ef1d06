import { type Page, expect } from '@playwright/test';

/** The outcome-measure form and what it puts on the chart. */
export class MeasuresPage {
  constructor(readonly page: Page) {}

  question(n: number) {
    return this.page.getByRole('radiogroup', { name: new RegExp(`^${n}\\. `) });
  }

  /** One answer label per question, in order. */
  async answerAll(labels: string[]) {
    for (const [i, label] of labels.entries())
      await this.question(i + 1)
        .getByRole('radio', { name: label, exact: true })
        .check();
  }

  score() {
    return this.page.getByRole('region', { name: 'Score' });
  }

  async signAndSave(passphrase: string) {
    await this.score().getByRole('button', { name: 'Sign and save' }).click();
    const dialog = this.page.getByRole('dialog', { name: /^Sign the / });
    await dialog.getByLabel('Passphrase').fill(passphrase);
    await dialog.getByRole('button', { name: 'Sign and save' }).click();
    await expect(dialog).toHaveCount(0);
  }

  riskAlerts() {
    return this.page.getByRole('region', { name: 'Risk alerts' });
  }

  trend() {
    return this.page.getByRole('region', { name: 'Outcome measures' });
  }
}
