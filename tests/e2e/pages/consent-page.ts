import { type Locator, type Page, expect } from '@playwright/test';
import { chooseOption } from './choose-option';

/** What the patient writes into forms that ask (the transport agreement). */
export type FormFields = { escortName: string; escortPhone: string; initials: string };
export const DEFAULT_FIELDS: FormFields = {
  escortName: 'Jonas Lindqvist',
  escortPhone: '218-555-0147',
  initials: 'MO',
};

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

  /**
   * On the current form: draw every signature pad, choose `staff` as witness where a witness
   * signs (the clinician defaults to the signed-in user; `clinician` names another, for a signed-in
   * practice manager who is not one), and confirm each staff signer with their passphrase
   * (`passphrases` by display name).
   */
  async signCurrentForm(
    witness: string,
    passphrases: Record<string, string>,
    fields: FormFields = DEFAULT_FIELDS,
    clinician?: string,
  ) {
    const page = this.page;
    await this.fillFields(fields);
    const pads = page.getByRole('img', { name: /signature for .*draw with/ });
    const count = await pads.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) await this.draw(pads.nth(i), i);
    const witnessPick = page.getByRole('textbox', { name: /^Witness for / });
    if ((await witnessPick.count()) > 0) {
      await chooseOption(witnessPick, new RegExp(`^${witness}`));
    }
    const clinicianPick = page.getByRole('textbox', { name: /^Clinician for / });
    if (clinician && (await clinicianPick.count()) > 0) {
      await chooseOption(clinicianPick, new RegExp(`^${clinician}`));
    }
    const confirm = page.getByRole('button', {
      name: /^Confirm with passphrase: .* as (witness|clinician) for /,
    });
    while ((await confirm.count()) > 0) {
      const label = (await confirm.first().getAttribute('aria-label'))!;
      const who = /^Confirm with passphrase: (.*) as /.exec(label)![1]!;
      await confirm.first().click();
      await page.getByRole('dialog').getByLabel(`Passphrase of ${who}`).fill(passphrases[who]!);
      await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
      await expect(page.getByRole('dialog')).toHaveCount(0, { timeout: 30_000 });
    }
    await expect(page.getByText('Not signed yet')).toHaveCount(0);
    await expect(page.getByText(/has not confirmed yet/)).toHaveCount(0);
  }

  /** Fill the escort's name and phone and every "Your initials" box the current form shows. */
  async fillFields(f: FormFields) {
    const page = this.page;
    const name = page.getByRole('textbox', { name: "Escort's full name" });
    if ((await name.count()) > 0) {
      await name.fill(f.escortName);
      await page.getByRole('textbox', { name: "Escort's phone number" }).fill(f.escortPhone);
    }
    const initials = page.getByRole('textbox', { name: /^Your initials/ });
    for (let i = 0; i < (await initials.count()); i++) await initials.nth(i).fill(f.initials);
  }

  /**
   * Sign a packet's default forms: `witness` (a user's display name) witnesses, the signed-in user
   * (`me`) is the clinician, each confirms with their passphrase. `onFirstForm` runs once the first
   * form is signed (e.g. an accessibility check).
   */
  async signPacket(
    packetName: string,
    me: { name: string; passphrase: string },
    onFirstForm?: () => Promise<void>,
    witness: { name: string; passphrase: string } = me,
  ) {
    const page = this.page;
    const passphrases = { [me.name]: me.passphrase, [witness.name]: witness.passphrase };
    await page.getByRole('button', { name: 'Consent packet' }).click();
    await page.getByRole('radio', { name: packetName }).check();
    await page.getByRole('button', { name: 'Review forms' }).click();
    for (;;) {
      await expect(page.getByText(/^Form \d+ of \d+$/)).toBeVisible();
      await this.signCurrentForm(witness.name, passphrases);
      if (onFirstForm) await onFirstForm();
      onFirstForm = undefined;
      const next = page.getByRole('button', { name: 'Next form' });
      if ((await next.count()) === 0) break;
      await next.click();
    }
    await page.getByRole('button', { name: 'Review and sign' }).click();
    await page.getByRole('button', { name: /^Sign and save \d+ forms?$/ }).click();
    await page.getByRole('dialog').getByLabel('Passphrase').fill(me.passphrase);
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
