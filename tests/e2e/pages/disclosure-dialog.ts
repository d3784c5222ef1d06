import { type Page, expect } from '@playwright/test';

export type DisclosureAnswer = {
  /** A recipient as the dialog words it, e.g. 'A court, attorney or law enforcement'. */
  to: string;
  name?: string;
  note?: string;
};

/**
 * Answers "Who is this for?", asked before every print and export (issue 18 point 3). Without an
 * answer it keeps the default: the copy stays in the clinic.
 */
export async function answerDisclosure(page: Page, answer?: DisclosureAnswer) {
  const dialog = page.getByRole('dialog', { name: 'Who is this for?' });
  await expect(dialog).toBeVisible();
  if (answer) {
    await dialog.getByRole('radio', { name: answer.to }).check();
    if (answer.name)
      await dialog
        .getByRole('textbox', { name: 'Name of the person or organisation' })
        .fill(answer.name);
    if (answer.note)
      await dialog.getByRole('textbox', { name: 'Note (optional)' }).fill(answer.note);
  }
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await expect(dialog).toBeHidden();
}
