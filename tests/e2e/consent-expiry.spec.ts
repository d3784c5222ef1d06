/**
 * Issue 17 deliverable 6: reminders 30 days before a consent expires, on My work today and on the
 * schedule. A year-long consent is signed today; the computer's clock is then moved on 350 days
 * (Playwright's clock), to a visit booked with the clinician then: both screens name the form and
 * its expiry date.
 */
import { expect, test } from '@playwright/test';
import { AppPage } from './pages/app-page';
import { ConsentPage } from './pages/consent-page';
import { PatientsPage } from './pages/patients-page';
import { SchedulePage } from './pages/schedule-page';

const PAT = { name: 'Pat Quinn', username: 'pat', passphrase: 'harbor lights at dusk' };
const slow = { timeout: 60_000 };
const DAY = 86_400_000;
const localDay = (ms: number) => {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

test.use({ viewport: { width: 1280, height: 800 } });

test('a yearly consent in its last 30 days is listed on My work today and on the day’s schedule', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.clock.install();
  const app = new AppPage(page);
  const consent = new ConsentPage(page);
  await app.open();
  await app.createClinic();
  await app.setClinicContact();
  await app.addUser({ ...PAT, roles: ['Practice manager', 'Therapist'] });
  await expect(page.getByText(`can now sign in as “${PAT.username}”`)).toBeVisible(slow);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await app.signIn(PAT.username, PAT.passphrase);
  await expect(page.getByText(`${PAT.name} · Practice manager`)).toBeVisible(slow);
  await app.nav('Consent forms').click();
  await app.nav('Patients').click();
  await new PatientsPage(page).addPatient({ first: 'Maya', last: 'Okafor', dob: '1987-04-12' });
  await consent.signPacket('Telehealth integration', PAT);
  await expect(consent.statusBadge('Telehealth integration')).toContainText('Current', slow);

  // A visit 352 days from now, with Pat.
  const visitDay = localDay(Date.now() + 352 * DAY);
  await app.nav('Schedule').click();
  await new SchedulePage(page).book({
    patient: 'Okafor, Maya',
    day: visitDay,
    time: '10:00',
    visit: 'Integration session',
    clinician: PAT.name,
    program: 'Telehealth integration',
  });

  // 350 days later: the idle lock has long run; Pat unlocks.
  await page.clock.fastForward(350 * DAY);
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible({ timeout: 20_000 });
  await app.unlock(PAT.passphrase);
  await expect(page.getByText(`${PAT.name} · Practice manager`)).toBeVisible(slow);

  await app.nav('My work today').click();
  const expiring = page.getByRole('table', { name: 'Consents expiring within 30 days' });
  const row = expiring.getByRole('row', { name: /Consent for telehealth visits/ });
  await expect(row).toContainText('Okafor, Maya', slow);
  await expect(row).toContainText('Telehealth integration');
  await expect(row).toContainText(/in 1[456] days/);
  const financial = expiring.getByRole('row', { name: /Financial policy/ });
  await expect(financial).toContainText('Telehealth integration');
  await expect(financial).not.toContainText('In-office IV ketamine'); // a program she never joined
  await expect(expiring).not.toContainText('Notice of Privacy Practices'); // never expires
  await app.expectAccessible('my work with expiring consents');
  await page.screenshot({ path: '/tmp/expiry-my-work-1280.png', fullPage: true });

  await app.nav('Schedule').click();
  await new SchedulePage(page).showDay(visitDay);
  const visit = page
    .getByRole('table', { name: /^Appointments on / })
    .getByRole('row', { name: /Okafor/ });
  await expect(visit).toContainText(/Expires soon: .*Consent for telehealth visits/, slow);
  await app.expectAccessible('schedule with consents expiring soon');
  await page.screenshot({ path: '/tmp/expiry-schedule-1280.png', fullPage: true });
});
