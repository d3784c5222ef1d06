import { type Page, expect } from '@playwright/test';

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

  async connectFirstDevice(serverUrl: string, setupToken: string) {
    const p = this.page;
    await p.getByLabel('Server address').fill(serverUrl);
    await p.getByLabel('Setup token').fill(setupToken);
    await p.getByRole('button', { name: 'Connect' }).click();
    await expect(p.getByText('Last synced: just now')).toBeVisible({ timeout: 30_000 });
  }

  async createEnrollmentCode(): Promise<string> {
    await this.page.getByRole('button', { name: 'Create enrollment code' }).click();
    const code = this.page.getByLabel('Enrollment code', { exact: true });
    await expect(code).toHaveText(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    return (await code.textContent())!.trim();
  }

  async join(input: { serverUrl: string; code: string; username: string; passphrase: string }) {
    const p = this.page;
    const card = p.getByRole('region', { name: 'Join a clinic' });
    await card.getByLabel('Clinic server address').fill(input.serverUrl);
    await card.getByLabel('Enrollment code').fill(input.code);
    await card.getByLabel('Your sign-in name').fill(input.username);
    await card.getByLabel('Your passphrase').fill(input.passphrase);
    await card.getByRole('button', { name: 'Join clinic' }).click();
    await expect(p.getByRole('heading', { name: 'Patients' })).toBeVisible({ timeout: 30_000 });
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
