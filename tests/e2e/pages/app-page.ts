import AxeBuilder from '@axe-core/playwright';
import { type Page, expect } from '@playwright/test';

/** Role checkboxes on Settings → Users, by their labels. */
export type Role = 'Administrator' | 'Prescriber' | 'Therapist' | 'Practice manager';

export const ADMIN = {
  clinic: 'Lakeside Ketamine Clinic',
  name: 'Riley Morgan',
  username: 'riley',
  passphrase: 'river stones at dawn',
};

/** The whole app as a person sees it: first run, sign-in, lock, navigation. */
export class AppPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto('/');
  }

  async createClinic(a = ADMIN) {
    const p = this.page;
    await p.getByLabel('Clinic name', { exact: true }).fill(a.clinic);
    await p.getByLabel('Your full name').fill(a.name);
    await p.getByLabel('User name', { exact: true }).fill(a.username);
    await p.getByLabel('Passphrase', { exact: true }).fill(a.passphrase);
    await p.getByLabel('Repeat passphrase').fill(a.passphrase);
    await p.getByRole('button', { name: 'Create clinic' }).click();
    // Creating a clinic derives the passphrase key (Argon2id, 64 MiB) and makes and signs the
    // clinic's keys: seconds on a quiet machine, longer than expect's default on a busy one.
    await expect(p.getByRole('heading', { name: 'Patients' })).toBeVisible({ timeout: 60_000 });
  }

  /**
   * Types into the sign-in form only once the signed-in screens are gone: sign-out first saves what
   * was open and writes its audit event, and until then Settings → Users still shows an Add-user
   * form whose "User name" field would take the typing instead.
   */
  async signIn(username: string, passphrase: string) {
    await signInWhenShown(this.page, username, passphrase);
  }

  async lock() {
    await this.page.getByRole('button', { name: 'Lock' }).click();
    await expect(this.page.getByRole('button', { name: 'Unlock' })).toBeVisible();
  }

  async unlock(passphrase: string) {
    await this.page.getByLabel('Passphrase').fill(passphrase);
    await this.page.getByRole('button', { name: 'Unlock' }).click();
  }

  /** Settings → clinic address and phone (consent packets and printouts need both). */
  async setClinicContact(c = { address: '12 Pine St, Duluth, MN', phone: '218-555-0100' }) {
    const p = this.page;
    await this.nav('Settings').click();
    await p.getByLabel('Clinic address').fill(c.address);
    await p.getByLabel('Clinic phone').fill(c.phone);
    await p.getByRole('button', { name: 'Save settings' }).click();
    await expect(p.getByText(/saved/i).first()).toBeVisible();
  }

  /** Settings → Users: adds a colleague with these roles; stays on the Users tab. */
  async addUser(u: { name: string; username: string; passphrase: string; roles: Role[] }) {
    const p = this.page;
    await this.nav('Settings').click();
    await p.getByRole('tab', { name: 'Users' }).click();
    await p.getByLabel('Full name').fill(u.name);
    await p.getByLabel('User name').fill(u.username);
    for (const role of u.roles) await p.getByRole('checkbox', { name: role }).check();
    await p.getByLabel('First passphrase').fill(u.passphrase);
    await p.getByRole('button', { name: 'Add user' }).click();
    // The passphrase is stretched with Argon2id before the user is stored: allow it time.
    await expect(p.getByRole('table', { name: 'Users' })).toContainText(u.username, {
      timeout: 30_000,
    });
  }

  nav(name: string) {
    return this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
  }

  /** Fails on serious or critical accessibility violations (axe-core). */
  async expectAccessible(screen: string) {
    const results = await new AxeBuilder({ page: this.page }).analyze();
    const serious = results.violations.filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
    expect(
      serious.map(
        (v) =>
          `${screen}: ${v.id} — ${v.help} (${v.nodes.map((n) => `${n.target.join(' ')}: ${n.html.slice(0, 160)}`).join(', ')})`,
      ),
    ).toEqual([]);
  }

  /** Everything stored in IndexedDB, with binary fields decoded as text, as one string. */
  async dumpIndexedDb(): Promise<{ text: string; rows: number }> {
    return this.page.evaluate(async () => {
      const names = (await indexedDB.databases()).map((d) => d.name!).filter(Boolean);
      let text = '';
      let rows = 0;
      const dec = new TextDecoder('utf-8', { fatal: false });
      for (const name of names) {
        const db = await new Promise<IDBDatabase>((res, rej) => {
          const r = indexedDB.open(name);
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        for (const store of Array.from(db.objectStoreNames)) {
          const all = await new Promise<unknown[]>((res, rej) => {
            const r = db.transaction(store).objectStore(store).getAll();
            r.onsuccess = () => res(r.result);
            r.onerror = () => rej(r.error);
          });
          rows += all.length;
          text += JSON.stringify(all, (_k, v) =>
            v instanceof Uint8Array
              ? dec.decode(v)
              : v instanceof ArrayBuffer
                ? dec.decode(new Uint8Array(v))
                : v,
          );
        }
        db.close();
      }
      return { text, rows };
    });
  }
}

export async function signInWhenShown(page: Page, username: string, passphrase: string) {
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await page.getByLabel('User name', { exact: true }).fill(username);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}
