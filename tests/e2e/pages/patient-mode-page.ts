import { type Page, expect } from '@playwright/test';
import { ConsentPage, DEFAULT_FIELDS } from './consent-page';

/** Patient mode: starting it from the chart, the patient's screens, and taking the device back. */
export class PatientModePage {
  readonly consent: ConsentPage;
  constructor(readonly page: Page) {
    this.consent = new ConsentPage(page);
  }

  /** From the chart: the packet (by name) and questionnaires (by full name) to hand over. */
  async start(packetName: string | undefined, questionnaires: string[]) {
    const page = this.page;
    await page.getByRole('button', { name: 'Patient mode' }).click();
    await expect(
      page.getByRole('heading', { name: 'Hand the device to the patient' }),
    ).toBeVisible();
    if (packetName) await page.getByRole('radio', { name: packetName }).check();
    for (const q of questionnaires) await page.getByRole('checkbox', { name: q }).check();
  }

  async handOver() {
    await this.page.getByRole('button', { name: 'Start patient mode' }).click();
  }

  /** The patient's screen is on: their greeting, and nothing of the staff app. */
  async expectPatientScreen(firstName: string) {
    const page = this.page;
    await expect(page.getByRole('heading', { name: `Hello, ${firstName}` })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Lock' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Unlock' })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'KAT Chart' })).toHaveCount(0);
    expect(new URL(page.url()).hash).toBe('#/patient-mode');
  }

  /** The patient's part of the current form: fields, initials, their signature; then on. */
  async signFormAsPatient(seed: number) {
    const page = this.page;
    await this.consent.fillFields(DEFAULT_FIELDS);
    await this.consent.draw(
      page.getByRole('img', { name: /^Patient signature for .*draw with/ }),
      seed,
    );
  }

  /** Answers a questionnaire: `answers[i]` is the label chosen for question i+1. */
  async answer(answers: string[]) {
    const page = this.page;
    for (let i = 0; i < answers.length; i++)
      await page
        .getByRole('radiogroup', { name: new RegExp(`^${i + 1}\\. `) })
        .getByRole('radio', { name: answers[i], exact: true })
        .click();
  }

  async end(username: string, passphrase: string) {
    const page = this.page;
    await page.getByRole('button', { name: 'Staff: end patient mode' }).click();
    const dialog = page.getByRole('dialog', { name: 'End patient mode (staff only)' });
    await dialog.getByLabel('Staff user name').fill(username);
    await dialog.getByLabel('Staff passphrase').fill(passphrase);
    await dialog.getByRole('button', { name: 'End patient mode' }).click();
  }

  /**
   * After patient mode, on the forms the patient signed: staff add their signatures (`me` as the
   * clinician and witness, or `clinician` where `me` is not one) and sign the packet.
   */
  async finishPacket(
    me: { name: string; passphrase: string },
    clinician?: { name: string; passphrase: string },
  ) {
    const page = this.page;
    const passphrases = { [me.name]: me.passphrase };
    if (clinician) passphrases[clinician.name] = clinician.passphrase;
    for (;;) {
      await expect(page.getByText(/^Form \d+ of \d+$/)).toBeVisible();
      // forms only the patient signs (privacy notice, financial policy) need nothing more
      if ((await page.getByRole('img', { name: /signature for .*draw with/ }).count()) > 0)
        await this.consent.signCurrentForm(me.name, passphrases, undefined, clinician?.name);
      const next = page.getByRole('button', { name: 'Next form' });
      if ((await next.count()) === 0) break;
      await next.click();
    }
    await page.getByRole('button', { name: 'Review and sign' }).click();
    await page.getByRole('button', { name: /^Sign and save \d+ forms?$/ }).click();
    await page.getByRole('dialog').getByLabel('Passphrase').fill(me.passphrase);
    await page.getByRole('dialog').getByRole('button', { name: 'Sign' }).click();
  }
}
