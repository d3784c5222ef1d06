import { type Page, expect } from '@playwright/test';
import { chooseOption } from './choose-option';

/** Settings → Clinic server, the header sync status and the welcome screen's "Join a clinic". */
export class SyncPage {
  constructor(readonly page: Page) {}

  async openServerSettings() {
    const p = this.page;
    await p
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Settings' })
      .click();
    await p.getByRole('tab', { name: 'Clinic server' }).click();
  }

  /** The name field starts with what the computer calls itself; `name` replaces it. */
  private async nameComputer(scope: Page | ReturnType<Page['getByRole']>, name?: string) {
    const field = scope.getByLabel('Name of this computer');
    if (name) await field.fill(name);
    else await expect(field).toHaveValue(/\S/);
  }

  async connectFirstDevice(serverUrl: string, setupToken: string, computerName?: string) {
    const p = this.page;
    await p.getByLabel('Server address').fill(serverUrl);
    await p.getByLabel('Setup token').fill(setupToken);
    await this.nameComputer(p, computerName);
    await p.getByRole('button', { name: 'Connect' }).click();
    await expect(p.getByText('Last synced: just now')).toBeVisible({ timeout: 30_000 });
  }

  async createEnrollmentCode(): Promise<string> {
    const code = this.page.getByLabel('Enrollment code', { exact: true });
    // A code made earlier may still be on screen: wait for a new one, not the one already used.
    const before = (await code.count()) ? (await code.textContent())?.trim() : undefined;
    await this.page.getByRole('button', { name: 'Create enrollment code' }).click();
    await expect(code).toHaveText(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    if (before) await expect(code).not.toHaveText(before);
    return (await code.textContent())!.trim();
  }

  /**
   * Joins with a code, then — as since issue 13 — waits for the administrator's confirmation:
   * `admin` (the administrator's computer) finds the same numbers this screen shows among the
   * computers waiting to join and confirms. Returns the numbers both screens showed.
   */
  async join(
    input: {
      serverUrl: string;
      code: string;
      username: string;
      passphrase: string;
      computerName?: string;
    },
    admin: SyncPage,
    owner?: string,
  ): Promise<string> {
    await this.startJoin(input);
    const digits = await this.joinFingerprint();
    await admin.confirmComputer(digits, owner);
    await this.joined();
    return digits;
  }

  /** Fills in "Join a clinic" and sends the code; the screen then shows numbers to compare. */
  async startJoin(input: {
    serverUrl: string;
    code: string;
    username: string;
    passphrase: string;
    computerName?: string;
  }) {
    const card = this.page.getByRole('region', { name: 'Join a clinic' });
    await card.getByLabel('Clinic server address').fill(input.serverUrl);
    await card.getByLabel('Enrollment code').fill(input.code);
    await this.nameComputer(card, input.computerName);
    await card.getByLabel('Your sign-in name').fill(input.username);
    await card.getByLabel('Your passphrase').fill(input.passphrase);
    await card.getByRole('button', { name: 'Join clinic' }).click();
  }

  /** After the confirmation the joining computer fetches keys and records, and signs in. */
  async joined() {
    await expect(this.page.getByRole('heading', { name: 'Patients' })).toBeVisible({
      timeout: 60_000,
    });
  }

  /** The numbers the joining screen shows. */
  async joinFingerprint(): Promise<string> {
    const shown = this.page.getByLabel('Fingerprint of this computer');
    await expect(shown).toHaveText(/^\d{5}( \d{5}){4}$/, { timeout: 30_000 });
    return (await shown.textContent())!.trim();
  }

  /** On the administrator's computer: the row of the waiting computer that shows `digits`. */
  async waitingComputer(digits: string) {
    await this.openServerSettings();
    const table = this.page.getByRole('table', { name: 'Computers waiting to join' });
    const row = table.getByRole('row').filter({ hasText: digits });
    await expect(row).toHaveCount(1, { timeout: 30_000 });
    return row;
  }

  /** On the administrator's computer: the computer showing `digits` is confirmed (for `owner`). */
  async confirmComputer(digits: string, owner?: string) {
    const p = this.page;
    const row = await this.waitingComputer(digits);
    if (owner) {
      await chooseOption(row.getByRole('textbox', { name: /^Whose computer is/ }), owner);
    }
    await row.getByRole('button', { name: /^The numbers match: confirm computer/ }).click();
    await expect(p.getByText(/joined the clinic as/)).toBeVisible({ timeout: 30_000 });
  }

  status() {
    return this.page.getByRole('button', { name: /^Sync status:/ });
  }

  async openUsers() {
    const p = this.page;
    await p
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Settings' })
      .click();
    await p.getByRole('tab', { name: 'Users' }).click();
  }

  async addUser(name: string, username: string) {
    await this.openUsers();
    const card = this.page.getByRole('region', { name: 'Add a user' });
    await card.getByLabel('Full name').fill(name);
    await card.getByLabel('User name').fill(username);
    await card.getByRole('checkbox', { name: 'Therapist' }).check();
    await card.getByLabel('First passphrase').fill('a long first passphrase');
    await card.getByRole('button', { name: 'Add user' }).click();
    await expect(this.userRow(name)).toBeVisible();
  }

  userRow(name: string) {
    return this.page
      .getByRole('table', { name: 'Users' })
      .getByRole('row', { name: new RegExp(name) });
  }
}
