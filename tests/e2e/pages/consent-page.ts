import { type Locator, type Page, expect } from '@playwright/test';

/** Consent forms (settings), the chart's consent panel and the packet signing flow. */
export class ConsentPage {
  constructor(readonly page: Page) {}

  statusBadge(packetName: string) {
    return this.page
      .getByRole('table', { name: 'Consent status by program' })
      .getByRole('row', { name: new RegExp(packetName) });
  }

  /** Draw a scribble on a signature canvas with the mouse (a few strokes). */
  async draw(canvas: Locator, seed = 1) {
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const m = this.page.mouse;
    for (let stroke = 0; stroke < 2; stroke++) {
      const y0 = box.y + box.height * (0.35 + 0.25 * stroke);
      await m.move(box.x + 30, y0);
      await m.down();
      for (let i = 1; i <= 12; i++)
        await m.move(
          box.x + 30 + i * ((box.width - 60) / 12),
          y0 + Math.sin(i + seed) * box.height * 0.18,
          { steps: 2 },
        );
      await m.up();
    }
  }

  /** On the current form: draw every signature pad and fill any empty typed name. */
  async signCurrentForm(witnessName: string) {
    const pads = this.page.getByRole('img', { name: /signature for .*draw with/ });
    const count = await pads.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) await this.draw(pads.nth(i), i);
    const witness = this.page.getByRole('textbox', { name: /^Witness name for / });
    if ((await witness.count()) > 0) await witness.fill(witnessName);
    await expect(this.page.getByText('Not signed yet')).toHaveCount(0);
  }

  /** `onFirstForm` runs once the first form is signed (e.g. an accessibility check). */
  async signPacket(
    packetName: string,
    witnessName: string,
    passphrase: string,
    onFirstForm?: () => Promise<void>,
  ) {
    const page = this.page;
    await page.getByRole('button', { name: 'Consent packet' }).click();
    await page.getByRole('radio', { name: packetName }).check();
    await page.getByRole('button', { name: 'Review forms' }).click();
    for (;;) {
      await expect(page.getByText(/^Form \d+ of \d+$/)).toBeVisible();
      await this.signCurrentForm(witnessName);
      if (onFirstForm) await onFirstForm();
      onFirstForm = undefined;
      const next = page.getByRole('button', { name: 'Next form' });
      if ((await next.count()) === 0) break;
      await next.click();
    }
    await page.getByRole('button', { name: 'Review and sign' }).click();
    await page.getByRole('button', { name: /^Sign and save \d+ forms$/ }).click();
    await page.getByRole('dialog').getByLabel('Passphrase').fill(passphrase);
    await page.getByRole('dialog').getByRole('button', { name: 'Sign' }).click();
  }

  async editTemplate(title: string, appendText: string) {
    const page = this.page;
    await page.getByRole('button', { name: `Edit ${title}` }).click();
    const body = page.getByRole('dialog').getByLabel('Form text');
    await body.fill(`${await body.inputValue()}\n\n${appendText}`);
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^Save as version \d+$/ })
      .click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
  }
}
