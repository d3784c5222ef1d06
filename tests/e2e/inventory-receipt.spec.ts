import { expect, test } from '@playwright/test';
import { setUpPrescriberClinic } from './pages/clinic-setup';
import { InventoryPage } from './pages/inventory-page';

test('a lot that has already expired is not received without saying so, and then only for return or disposal', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const app = await setUpPrescriberClinic(page);
  const inventory = new InventoryPage(page);
  await app.nav('Inventory').click();

  const d = inventory.dialog();
  await page.getByRole('button', { name: 'Receive stock' }).click();
  await d.getByLabel('Product').fill('Ketamine HCl 50 mg/ml, 10 ml vial');
  await d.getByLabel('Lot number').fill('KX0101');
  await d.getByLabel('Expiry').fill('2024-01-31');
  await d.getByLabel('Quantity received').fill('500');
  await d.getByLabel('Containers').fill('1');
  await d.getByLabel('Supplier name').fill('Midwest Medical Supply');
  await d.getByLabel('Supplier address').fill('12 Depot Rd, Omaha, NE 68102');
  await d.getByLabel('Supplier DEA number').fill('RM1234563');
  // what one container holds is a number in the lot's unit, not left to the product name
  await d.getByRole('button', { name: 'Record receipt' }).click();
  await expect(d.getByRole('alert').filter({ hasText: 'one container' })).toContainText(
    'Record how much one container holds, in mg (e.g. a 10 ml vial of 50 mg/ml counted in mg holds 500)',
  );
  await d.getByLabel('Per container (mg)').fill('500');
  await expect(d.getByText('1 × 500 = 500 mg')).toBeVisible();
  // said before saving
  await expect(d.getByText('This lot has already expired')).toBeVisible();
  await d.getByRole('button', { name: 'Record receipt' }).click();
  // the refusal, beside the warning that was already there
  await expect(d.getByRole('alert').filter({ hasText: 'before it was received' })).toContainText(
    'Lot KX0101 expired on 2024-01-31, before it was received — it cannot be used for doses',
  );
  await app.expectAccessible('receive stock, expired lot');
  await page.screenshot({ path: '/tmp/receive-expired.png' });
  await expect(page.getByRole('table', { name: 'Lots' })).toHaveCount(0);

  await d
    .getByRole('checkbox', { name: 'Received already expired: record it for return or disposal' })
    .check();
  await d.getByRole('button', { name: 'Record receipt' }).click();
  await expect(d).toHaveCount(0);
  await expect(inventory.onHand('KX0101')).toHaveText('500 mg');
  await expect(page.getByLabel('Per container, lot KX0101')).toHaveText('500 mg');
  await expect(
    page
      .getByRole('table', { name: 'Log entries' })
      .getByRole('row')
      .filter({ hasText: 'Receipt' }),
  ).toContainText('Received already expired (expiry 2024-01-31)');
});
