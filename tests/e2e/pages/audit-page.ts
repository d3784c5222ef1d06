import { readFileSync } from 'node:fs';
import { type Page, expect } from '@playwright/test';
import { signInWhenShown } from './app-page';
import { answerDisclosure } from './disclosure-dialog';
import { chooseOption } from './choose-option';

/** The administrator's audit log, the stored audit table, and backup/restore. */
export class AuditPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Audit log' })
      .click();
    await expect(this.page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  }

  events() {
    return this.page.getByRole('table', { name: 'Audit events' }).locator('tbody tr');
  }

  async verify() {
    await this.page.getByRole('button', { name: 'Verify audit chain' }).click();
  }

  async filterAction(label: string) {
    await chooseOption(this.page.getByRole('textbox', { name: 'Action' }), label, true);
  }

  /** Clicks Export CSV or PDF and returns the downloaded file's bytes. */
  async export(format: 'CSV' | 'PDF', path: string) {
    const download = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: `Export ${format}` }).click();
    await answerDisclosure(this.page);
    await (await download).saveAs(path);
    return readFileSync(path);
  }

  /** Changes one stored audit event behind the app's back, as someone with disk access could. */
  async tamperWithStoredEvent(action: string, change: Record<string, unknown>) {
    return this.page.evaluate(
      async ({ action, change }) => {
        const db = await new Promise<IDBDatabase>((res, rej) => {
          const r = indexedDB.open('kat-chart');
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        const tx = db.transaction('audit', 'readwrite');
        const store = tx.objectStore('audit');
        const all = await new Promise<Record<string, unknown>[]>((res, rej) => {
          const r = store.getAll();
          r.onsuccess = () => res(r.result as Record<string, unknown>[]);
          r.onerror = () => rej(r.error);
        });
        const victim = all.find((e) => e.action === action)!;
        store.put({ ...victim, ...change });
        await new Promise((res, rej) => {
          tx.oncomplete = res;
          tx.onerror = () => rej(tx.error);
        });
        db.close();
        return victim.seq as number;
      },
      { action, change },
    );
  }

  /**
   * What an insider with devtools does to hide their tracks: deletes this computer's audit events
   * after event `keep` and moves the stored head back to it.
   */
  async trimEventsAfter(keep: number) {
    return this.page.evaluate(async (keep) => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open('kat-chart');
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      const tx = db.transaction(['audit', 'meta'], 'readwrite');
      const get = <T>(r: IDBRequest) =>
        new Promise<T>((res, rej) => {
          r.onsuccess = () => res(r.result as T);
          r.onerror = () => rej(r.error);
        });
      const clinic = await get<{ value: { deviceId: string } }>(
        tx.objectStore('meta').get('clinic'),
      );
      const deviceId = clinic.value.deviceId;
      const all = (
        await get<{ id: string; seq: number; hash: string; deviceId: string }[]>(
          tx.objectStore('audit').getAll(),
        )
      )
        .filter((e) => e.deviceId === deviceId)
        .sort((a, b) => a.seq - b.seq);
      for (const e of all.filter((x) => x.seq > keep)) tx.objectStore('audit').delete(e.id);
      const left = all.find((x) => x.seq === keep)!;
      tx.objectStore('meta').put({
        key: `audit-head:${deviceId}`,
        value: { seq: left.seq, hash: left.hash },
      });
      await new Promise((res, rej) => {
        tx.oncomplete = res;
        tx.onerror = () => rej(tx.error);
      });
      db.close();
      return all.length;
    }, keep);
  }

  /** Settings → Storage and backup → Save encrypted backup; returns where the download landed. */
  async saveBackup(passphrase: string, path: string) {
    const p = this.page;
    await p
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Settings' })
      .click();
    await p.getByRole('tab', { name: 'Storage and backup' }).click();
    await p.getByLabel('Backup passphrase', { exact: true }).fill(passphrase);
    await p.getByLabel('Repeat backup passphrase').fill(passphrase);
    const download = p.waitForEvent('download');
    await p.getByRole('button', { name: 'Save encrypted backup' }).click();
    await (await download).saveAs(path);
    await expect(p.getByRole('status').filter({ hasText: 'Backup saved' })).toBeVisible();
  }

  /** First run → Restore from backup. */
  async restoreBackup(path: string, passphrase: string) {
    const p = this.page;
    await p.getByLabel('Backup file').setInputFiles(path);
    await p.getByLabel('Backup passphrase').fill(passphrase);
    await p.getByRole('button', { name: 'Restore clinic' }).click();
  }

  /** Settings → Users: the administrator adds a colleague. */
  async addColleague(c: Colleague) {
    const p = this.page;
    await p
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Settings' })
      .click();
    await p.getByRole('tab', { name: 'Users' }).click();
    await p.getByLabel('Full name').fill(c.name);
    await p.getByLabel('User name').fill(c.username);
    await p.getByRole('checkbox', { name: c.role }).check();
    await p.getByLabel('First passphrase').fill(c.passphrase);
    await p.getByRole('button', { name: 'Add user' }).click();
    // Wrapping the clinic key under the new passphrase runs Argon2id: seconds on a busy machine.
    await expect(p.getByRole('table', { name: 'Users' })).toContainText(c.username, {
      timeout: 45_000,
    });
  }

  /** Signs the current user out and another in, then opens the patient list. */
  async switchUser(username: string, passphrase: string) {
    const p = this.page;
    // Leave for the patient list first (what was open stays open until sign-out).
    await p
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Patients' })
      .click();
    await p.getByRole('button', { name: 'Sign out' }).click();
    await signInWhenShown(p, username, passphrase);
    await p
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Patients' })
      .click();
    await expect(p.getByRole('heading', { name: 'Patients' })).toBeVisible();
  }
}

export type Colleague = { name: string; username: string; role: string; passphrase: string };

/** A prescriber, who may read every part of a chart. */
export const PRESCRIBER: Colleague = {
  name: 'Sam Patel',
  username: 'sam',
  role: 'Prescriber',
  passphrase: 'quiet lake at noon',
};
