import { type Page, expect } from '@playwright/test';

/** Settings → Note templates: the list, import from a file, and the template editor. */
export class NoteTemplatesPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Settings' })
      .click();
    await this.page.getByRole('tab', { name: 'Note templates' }).click();
    await expect(this.table()).toBeVisible();
  }

  table() {
    return this.page.getByRole('table', { name: 'Note templates' });
  }

  row(name: string) {
    return this.table().getByRole('row').filter({ hasText: name });
  }

  editor() {
    return this.page.getByRole('form', { name: 'Edit note template' });
  }

  /** A section of the editor by its position (1-based). */
  heading(n: number) {
    return this.editor().getByLabel(`Section ${n} heading`);
  }

  hint(n: number) {
    return this.editor().getByLabel(`Section ${n} hint`);
  }

  sections() {
    return this.editor().getByRole('list', { name: 'Sections' }).getByRole('listitem');
  }

  async importFile(name: string, content: string) {
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByRole('button', { name: 'Import from file…' }).click();
    await (
      await chooser
    ).setFiles({
      name,
      mimeType: 'application/json',
      buffer: Buffer.from(content, 'utf8'),
    });
  }
}
