import { type Locator, expect } from '@playwright/test';

/**
 * Open a Mantine Select (`input`) and click the option named `name`. Mantine hides an open
 * dropdown while its input is out of view and positions it a frame or more after opening; on a
 * loaded machine Playwright can scroll to an option at its first place and the list then hides
 * for good (CI of 7 Dec, 21:28: 10 minutes waiting for "Jordan Lee"). A user would open it again; so does
 * this, up to a minute.
 */
export async function chooseOption(input: Locator, name: string | RegExp, exact = false) {
  const page = input.page();
  const option = page.getByRole('option', { name, exact });
  await expect(async () => {
    // (a click toggles the list: one that is open but hidden closes, and opens on the next try;
    // never Escape, which would close a dialog around the input)
    if (!(await option.isVisible())) await input.click();
    await option.click({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
}
