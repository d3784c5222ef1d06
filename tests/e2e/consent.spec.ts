import { type Page, expect, test } from '@playwright/test';
import { AppPage } from './pages/app-page';
import { ConsentPage } from './pages/consent-page';
import { PatientsPage } from './pages/patients-page';
import { readDownloadedPdf } from './pages/pdf';
import { SchedulePage } from './pages/schedule-page';
import { answerDisclosure } from './pages/disclosure-dialog';
import { chooseOption } from './pages/choose-option';

/** An administrator who is also the practice manager (small clinics often have one person). */
const MANAGER = {
  name: 'Pat Quinn',
  username: 'pat',
  passphrase: 'harbor lights at dusk',
};
const maya = { first: 'Maya', last: 'Okafor', dob: '1987-04-12', chart: 'KC-0042' };
const jonas = { first: 'Jonas', last: 'Lindqvist', dob: '1979-09-30', chart: 'KC-0077' };
const ADDED_LINE = 'This sentence was added in version 2.';
/** Passphrase key derivation (Argon2id) is slow by design, more so on a busy CI machine. */
const slow = { timeout: 60_000 };

const localDay = (offsetDays: number) => {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

async function setUpClinic(page: Page) {
  const app = new AppPage(page);
  await app.open();
  await app.createClinic();
  await app.setClinicContact();
  await app.addUser({ ...MANAGER, roles: ['Practice manager', 'Administrator', 'Therapist'] });
  await expect(page.getByText(`can now sign in as “${MANAGER.username}”`)).toBeVisible(slow);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await app.signIn(MANAGER.username, MANAGER.passphrase);
  await expect(page.getByText(`${MANAGER.name} · Practice manager`)).toBeVisible(slow);
  // the practice manager's first visit to Consent forms stores the standard set
  await app.nav('Consent forms').click();
  await expect(page.getByRole('table', { name: 'Consent forms' }).getByRole('row')).toHaveCount(9);
  return app;
}

test('a practice manager signs a packet with drawn signatures, prints it, and a later template edit leaves the signed copy unchanged', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const app = await setUpClinic(page);
  const consent = new ConsentPage(page);
  // the pointer still rests on the nav link just clicked; its hover shade is the shell's concern
  await page.mouse.move(700, 600);
  await app.expectAccessible('consent forms');

  // the clinic recovery key is offered here too (making and printing it: keys.spec.ts)
  await expect(page.getByRole('button', { name: 'Create recovery key' })).toBeVisible();

  await app.nav('Patients').click();
  await new PatientsPage(page).addPatient(maya);
  await expect(consent.statusBadge('In-office IV ketamine')).toContainText('Missing');
  await app.expectAccessible('chart with consent status');

  await page.getByRole('button', { name: 'Consent packet' }).click();
  await app.expectAccessible('choose packet');
  await page.getByRole('button', { name: 'Back to chart' }).click();

  await consent.signPacket('In-office IV ketamine', MANAGER, () =>
    app.expectAccessible('form to sign'),
  );
  await expect(page.getByText('4 consent forms signed for Okafor, Maya.')).toBeVisible(slow);
  await expect(consent.statusBadge('In-office IV ketamine')).toContainText('Current');
  await expect(consent.statusBadge('Esketamine nasal spray')).toContainText('Missing');
  await page.screenshot({ path: '/tmp/consent-chart.png', fullPage: true });
  await app.nav('Patients').click();
  await expect(page.getByRole('row', { name: /Okafor, Maya/ })).toContainText('Current');
  await page.mouse.move(700, 600);
  await app.expectAccessible('patient list with consent status');
  await page.getByRole('button', { name: 'Open chart: Okafor, Maya' }).click();

  // print: browser mode opens the PDF in a new tab
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Print signed forms' }).click();
  await answerDisclosure(page, { to: 'The patient or their personal representative' });
  expect((await popup).url()).toMatch(/^blob:/);
  await expect(page.getByRole('region', { name: 'Consent' }).getByRole('status')).toContainText(
    'opened in a new tab',
  );

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save signed forms as PDF' }).click();
  await answerDisclosure(page);
  const { pages } = await readDownloadedPdf(await download, 'consent-signed', { lastPage: 3 });
  expect(pages.length).toBeGreaterThan(4);
  pages.forEach((text, i) => {
    expect(text, `page ${i + 1}`).toContain('Okafor, Maya');
    expect(text, `page ${i + 1}`).toContain('DOB Apr 12, 1987');
    expect(text, `page ${i + 1}`).toMatch(new RegExp(`Page ${i + 1} of ${pages.length}`));
  });
  const record = pages.slice(pages.findIndex((p) => p.includes('Signing record'))).join('\n');
  expect(record).toContain('Signing record');
  expect(record).toContain('Informed consent for ketamine-assisted therapy, version 1');
  // staff signers are users of the clinic, printed with their role; the program by its name
  expect(record).toMatch(/Pat Quinn — (Practice manager|Administrator|Therapist) \(witness\)/);
  expect(record).toContain('Pat Quinn — Therapist (clinician)');
  expect(record).toContain('In-office IV ketamine');
  expect(record).not.toContain('in-office-iv');
  expect(record).toMatch(/sha256:[0-9a-f]{20}/);
  // everything in force names no one packet under the patient's identifiers
  const heading = (text: string) => text.trim().split('\n').slice(0, 4).join('\n');
  expect(heading(pages[0]!)).toContain('Okafor, Maya');
  expect(heading(pages[0]!)).not.toContain('In-office IV ketamine');

  // one program's packet: chosen from the list, named under the patient on every page
  await chooseOption(
    page.getByRole('textbox', { name: 'Signed forms to print' }),
    'In-office IV ketamine packet',
  );
  const onePacket = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save signed forms as PDF' }).click();
  await answerDisclosure(page);
  const packet = await readDownloadedPdf(await onePacket, 'consent-one-packet');
  expect(packet.pages.length).toBe(pages.length); // the same four forms and the signing record
  packet.pages.forEach((text, i) =>
    expect(heading(text), `packet page ${i + 1}`).toContain('In-office IV ketamine'),
  );

  // edit the informed consent: version 2; the signed copy keeps version 1's text
  await app.nav('Consent forms').click();
  await consent.editTemplate('Informed consent for ketamine-assisted therapy', ADDED_LINE);
  await expect(
    page.getByRole('row', { name: /Informed consent for ketamine-assisted therapy/ }),
  ).toContainText('2');
  await app.nav('Patients').click();
  await page.getByRole('button', { name: 'Open chart: Okafor, Maya' }).click();
  await page
    .getByRole('link', { name: /^Informed consent for ketamine-assisted therapy — version 1/ })
    .click();
  await expect(
    page.getByRole('heading', { name: 'Informed consent for ketamine-assisted therapy' }),
  ).toBeVisible();
  await expect(page.getByLabel('Signed text')).toContainText('Lakeside Ketamine Clinic');
  await expect(page.getByLabel('Signed text')).not.toContainText(ADDED_LINE);
  await expect(page.getByText(/version 1 · signed/)).toBeVisible();
  await app.expectAccessible('signed consent');
  await page.screenshot({ path: '/tmp/consent-signed.png', fullPage: true });
});

test('batch printing for tomorrow lists who needs what and prints only the packets still needed', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const app = await setUpClinic(page);
  const consent = new ConsentPage(page);
  const patients = new PatientsPage(page);
  await app.nav('Patients').click();
  await patients.addPatient(maya);
  await consent.signPacket('Telehealth integration', MANAGER);
  await expect(consent.statusBadge('Telehealth integration')).toContainText('Current', slow);
  await app.nav('Patients').click();
  await patients.addPatient(jonas);
  // a blank packet for wet signature opens as a PDF (browser mode: a new tab)
  const blank = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Blank packet for wet signature' }).click();
  await page.getByRole('menuitem', { name: 'Esketamine nasal spray' }).click();
  await answerDisclosure(page);
  expect((await blank).url()).toMatch(/^blob:/);
  await expect(page.getByRole('region', { name: 'Consent' }).getByRole('status')).toContainText(
    'opened in a new tab',
  );

  const tomorrow = localDay(1);
  const schedule = new SchedulePage(page);
  await app.nav('Schedule').click();
  await page.getByRole('button', { name: 'Tomorrow' }).click();
  const booking = { day: tomorrow, clinician: MANAGER.name, program: 'Telehealth integration' };
  await schedule.book({ ...booking, patient: 'Okafor, Maya', time: '09:00' });
  await schedule.book({
    ...booking,
    patient: 'Lindqvist, Jonas',
    time: '10:30',
    visit: 'Integration session',
  });
  await expect(schedule.appointments().getByRole('row')).toHaveCount(3);
  await expect(schedule.appointments().getByRole('row', { name: /Okafor/ })).toContainText(
    'All current',
  );
  await expect(schedule.appointments().getByRole('row', { name: /Lindqvist/ })).toContainText(
    'Consent for telehealth visits',
  );
  await app.expectAccessible('schedule');
  await page.screenshot({ path: '/tmp/consent-schedule.png', fullPage: true });

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save packets as PDF' }).click();
  const { pages } = await readDownloadedPdf(await download, 'consent-batch', { lastPage: 3 });
  await expect(page.getByRole('status').filter({ hasText: 'packet' })).toContainText(
    '1 packet (3 forms)',
  );
  expect(pages[0]).toContain('Who needs what');
  expect(pages[0]).toContain('Okafor, Maya');
  expect(pages[0]).toContain('All forms current');
  expect(pages[0]).toContain('Lindqvist, Jonas');
  const packet = pages.slice(1);
  expect(packet.length).toBeGreaterThanOrEqual(3);
  packet.forEach((text, i) => {
    expect(text, `packet page ${i + 1}`).toContain('Lindqvist, Jonas');
    expect(text, `packet page ${i + 1}`).toContain('DOB Sep 30, 1979');
    expect(text, `packet page ${i + 1}`).toContain(`Page ${i + 1} of ${packet.length}`);
    expect(text).not.toContain('Okafor');
  });
});

test('a patient withdraws a signed consent: the signed form stays, the program shows it withdrawn', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const app = await setUpClinic(page);
  const consent = new ConsentPage(page);
  await app.nav('Patients').click();
  await new PatientsPage(page).addPatient(maya);
  await consent.signPacket('Telehealth integration', MANAGER);
  await expect(consent.statusBadge('Telehealth integration')).toContainText('Current', slow);

  await page.getByRole('link', { name: /^Consent for telehealth visits — version 1/ }).click();
  await page.getByRole('button', { name: 'Record withdrawal of this consent' }).click();
  await page.getByLabel('Reason (optional)').fill('Prefers visits in person');
  await consent.draw(page.getByRole('img', { name: /signature for withdrawal of/ }));
  await page.getByRole('button', { name: 'Record withdrawal', exact: true }).click();
  await page.getByRole('dialog').getByLabel('Passphrase').fill(MANAGER.passphrase);
  await page.getByRole('dialog').getByRole('button', { name: 'Record withdrawal' }).click();
  await expect(
    page.getByText('Withdrawal of “Consent for telehealth visits” recorded.'),
  ).toBeVisible(slow);
  await expect(page.getByLabel('Signed text')).toContainText(
    'I, Maya Okafor, have read this form and agree to receive care by telehealth',
  );

  await page.getByRole('button', { name: 'Back to chart' }).click();
  await expect(consent.statusBadge('Telehealth integration')).toContainText('Withdrawn');
  await expect(consent.statusBadge('Telehealth integration')).toContainText(
    /withdrawn on .* by Maya Okafor, recorded by Pat Quinn/,
  );
  await expect(
    page.getByRole('link', { name: /^Revocation: Consent for telehealth visits/ }),
  ).toBeVisible();
});
