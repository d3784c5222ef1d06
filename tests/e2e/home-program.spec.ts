import { expect, test } from '@playwright/test';
import { ADMIN } from './pages/app-page';
import { SAM, setUpPrescriberClinic } from './pages/clinic-setup';
import { ConsentPage } from './pages/consent-page';
import { DosingPage, localInput } from './pages/dosing-page';
import { HomeProgramPage } from './pages/home-program-page';
import { PatientsPage } from './pages/patients-page';

const maya = { first: 'Maya', last: 'Okafor', dob: '1987-04-12' };

test('at-home program: a prescription for two sessions, both charted from the check-in, the third refused', async ({
  page,
}) => {
  test.setTimeout(360_000);
  const app = await setUpPrescriberClinic(page);
  const dosing = new DosingPage(page);
  const home = new HomeProgramPage(page);
  await app.nav('Patients').click();
  await new PatientsPage(page).addPatient(maya);
  await dosing.signEligibleEvaluation(SAM.passphrase);
  await page.getByRole('button', { name: 'Back to chart' }).click();

  // without the at-home consent the prescription is refused, and what was typed stays
  await home.prescribe({
    strengthMg: 200,
    quantity: 2,
    sessions: 2,
    monitor: 'Daniel Okafor',
    passphrase: SAM.passphrase,
  });
  await expect(page.getByRole('alert').filter({ hasText: 'Not signed' })).toContainText(
    'No current consent for at-home treatment',
  );
  await expect(page.getByLabel('Treatment monitor')).toHaveValue('Daniel Okafor');
  await app.expectAccessible('at-home prescription');
  await page.screenshot({ path: '/tmp/home-prescription-refused.png', fullPage: true });
  await page.getByRole('button', { name: 'Back to chart' }).click();

  await new ConsentPage(page).signPacket('At-home troches', SAM, undefined, {
    name: ADMIN.name,
    passphrase: ADMIN.passphrase,
  });
  await expect(page.getByText(/consent forms signed for Okafor, Maya/)).toBeVisible();
  // the form kept what was typed (encrypted draft): sign it now
  await page.getByRole('button', { name: 'At-home prescription' }).click();
  await expect(page.getByText(/^What you typed on .* was kept\.$/)).toBeVisible();
  await expect(page.getByLabel('Sessions allowed')).toHaveValue('2');
  await page.getByRole('button', { name: 'Sign prescription' }).click();
  await home.confirm(SAM.passphrase);
  await expect(home.sessionsLeft()).toHaveText('Sessions left: 2 of 2');

  // session 1: 150/88 reported is within the at-home limits (160/90, HR 100)
  await home.startSession();
  await home.checkIn({ sys: 150, dia: 88, hr: 84, mg: 200, takenAt: localInput(5) });
  await expect(page.getByText('All safety checks pass.')).toBeVisible();
  // effects, as reported on the call
  await page
    .getByLabel('Observation note')
    .fill('Relaxed, mild floating feeling; monitor on the call');
  await page.getByRole('button', { name: 'Add observation' }).click();
  await expect(page.getByRole('list', { name: 'Observations' })).toContainText('mild floating');
  await app.expectAccessible('at-home session');
  await page.screenshot({ path: '/tmp/home-session.png', fullPage: true });
  await home.sign(SAM.passphrase);
  await page.getByRole('button', { name: 'Back to chart' }).click();
  await expect(home.sessionsLeft()).toHaveText('Sessions left: 1 of 2');

  // session 2: 168/96 reported needs an acknowledgement with the reason before signing
  await home.startSession();
  await home.checkIn({ sys: 168, dia: 96, hr: 104, mg: 200, takenAt: localInput(5) });
  // A finding that asks for a reason is its own alert with the reason field (the "Dosing cannot
  // start yet" alert beside the start lists the same words).
  const finding = (text: string) =>
    page
      .getByRole('alert')
      .filter({ hasText: text })
      .filter({ has: page.getByLabel('Reason for going ahead') });
  const bp = finding('Pre-dose blood pressure 168/96');
  await expect(bp).toContainText('above 160/90');
  await expect(finding('Pre-dose heart rate 104 is above 100')).toBeVisible();
  await page.getByRole('button', { name: 'Sign session' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Not ready to sign' })).toContainText(
    '168/96',
  );
  await page.screenshot({ path: '/tmp/home-session-high-bp.png', fullPage: true });
  await bp.getByLabel('Reason for going ahead').fill('Repeat 146/86 after 10 minutes of rest');
  await bp.getByRole('button', { name: 'Record reason' }).click();
  await expect(page.getByText('Reason: Repeat 146/86 after 10 minutes of rest')).toBeVisible();
  const hr = finding('Pre-dose heart rate 104');
  await hr.getByLabel('Reason for going ahead').fill('Repeat HR 88 after rest, monitor confirmed');
  await hr.getByRole('button', { name: 'Record reason' }).click();
  await home.sign(SAM.passphrase);
  await page.getByRole('button', { name: 'Back to chart' }).click();
  await expect(home.sessionsLeft()).toHaveText('Sessions left: 0 of 2');

  // session 3: refused, saying why; no refill either (none were allowed)
  await home.startSession();
  await expect(page.getByRole('alert').filter({ hasText: 'Refused' })).toContainText(
    'All 2 sessions on this prescription are used — no refills are left',
  );
  await page.getByRole('button', { name: 'Refill' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Refused' })).toContainText(
    'This prescription allows no refills',
  );
  await expect(page.getByRole('heading', { name: 'At-home session' })).toHaveCount(0);
  await app.expectAccessible('chart with the at-home program');
  await page.screenshot({ path: '/tmp/home-program-chart.png', fullPage: true });
});
