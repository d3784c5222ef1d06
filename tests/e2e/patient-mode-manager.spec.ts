/**
 * Issue 17's own test, as a practice manager does it: she edits the in-office IV packet so the
 * recording consent is required, hands the tablet to the patient (the packet and a PHQ-9), and the
 * patient fills the escort's details and initials, signs, and answers item 9 "Several days". The
 * patient cannot leave (no passphrase, shortcuts, back, a typed address); the idle lock waits half
 * an hour and loses nothing. The chart shows the program current and the safety alert, the PDF
 * prints the escort and the initials, a withdrawal shows "Withdrawn on …" with nothing further to
 * withdraw, and a new version asking for re-consent lists the patient. The therapist then finds
 * the alert on the chart and the questionnaire under My work today, completed by the patient.
 * (The alert on another computer: patient-mode-sync.spec.ts.)
 */
import { type Page, expect, test } from '@playwright/test';
import { AppPage } from './pages/app-page';
import { ConsentPage } from './pages/consent-page';
import { answerDisclosure } from './pages/disclosure-dialog';
import { PatientModePage } from './pages/patient-mode-page';
import { PatientsPage } from './pages/patients-page';
import { readDownloadedPdf } from './pages/pdf';

const JORDAN = { name: 'Jordan Lee', username: 'jordan', passphrase: 'front desk at eight' };
const DANA = { name: 'Dana Reyes', username: 'dana', passphrase: 'quiet forest path at noon' };
const maya = { first: 'Maya', last: 'Okafor', dob: '1987-04-12', chart: 'KC-0042' };
const PHQ9 = 'Patient Health Questionnaire (PHQ-9)';
const RECORDING = 'Consent to audio or video recording of sessions';
const INFORMED = 'Informed consent for ketamine-assisted therapy';
const ADDED_LINE = 'Version 2 adds: you may feel detached for up to two hours.';
const slow = { timeout: 60_000 };

test.use({ viewport: { width: 1024, height: 768 }, hasTouch: true });

async function look(page: Page, name: string, size: 'tablet' | 'desktop' | 'both' = 'both') {
  if (size !== 'desktop')
    await page.screenshot({ path: `/tmp/pm-${name}-1024.png`, fullPage: true });
  if (size === 'tablet') return;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `/tmp/pm-${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 1024, height: 768 });
}

test('a practice manager requires the recording consent, hands the tablet over, and the whole life cycle follows', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const app = new AppPage(page);
  const kiosk = new PatientModePage(page);
  const consent = new ConsentPage(page);
  // Time runs as usual, but the test can move it on: half an hour of a patient reading slowly.
  // (Installed before the app loads, so that every timer of the app follows the same clock.)
  await page.clock.install();
  await app.open();
  await app.createClinic();
  await app.setClinicContact();
  await app.addUser({ ...JORDAN, roles: ['Practice manager'] });
  await expect(page.getByText(`can now sign in as “${JORDAN.username}”`)).toBeVisible(slow);
  await app.addUser({ ...DANA, roles: ['Therapist'] });
  await expect(page.getByText(`can now sign in as “${DANA.username}”`)).toBeVisible(slow);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await app.signIn(JORDAN.username, JORDAN.passphrase);
  await expect(page.getByText(`${JORDAN.name} · Practice manager`)).toBeVisible(slow);

  // 1. The packet: recording consent becomes required for in-office IV.
  await app.nav('Consent forms').click();
  await page.getByRole('button', { name: 'Edit packet In-office IV ketamine' }).click();
  await page.getByRole('checkbox', { name: `Required: ${RECORDING}` }).check();
  await app.expectAccessible('packet editor');
  await page.getByRole('button', { name: 'Save packet' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const packet = page.getByRole('region', { name: 'Packet: In-office IV ketamine' });
  await expect(packet.getByRole('listitem').filter({ hasText: RECORDING })).toContainText(
    'required',
  );

  // 2. Patient mode for Maya: the packet (five forms now) and a PHQ-9.
  await app.nav('Patients').click();
  await new PatientsPage(page).addPatient(maya);
  await expect(consent.statusBadge('In-office IV ketamine')).toContainText('Missing');
  await kiosk.start('In-office IV ketamine', [PHQ9]);
  await kiosk.handOver();
  await kiosk.expectPatientScreen('Maya');
  await expect(page.getByText('Form 1 of 5')).toBeVisible();

  // Nothing takes the patient out: shortcuts, the back button, a typed address.
  for (const key of ['Alt+P', 'Alt+L', 'Alt+N']) await page.keyboard.press(key);
  await kiosk.expectPatientScreen('Maya');
  await page.goBack();
  await kiosk.expectPatientScreen('Maya');
  await page.evaluate(() => (location.hash = '#/patients'));
  await kiosk.expectPatientScreen('Maya');
  await page.evaluate(() => (location.hash = '#/settings'));
  await kiosk.expectPatientScreen('Maya');
  await expect(page.getByRole('table', { name: 'Patients' })).toHaveCount(0);

  // 3. The forms, one at a time; on the transport agreement the escort's details and initials.
  for (let form = 1; form <= 5; form++) {
    await expect(page.getByText(`Form ${form} of 5`)).toBeVisible();
    const title = (await page.getByRole('heading', { level: 2 }).first().textContent()) ?? '';
    if (/Transport and escort/i.test(title)) {
      await consent.fillFields({
        escortName: 'Jonas Lindqvist',
        escortPhone: '218-555-0147',
        initials: 'MO',
      });
      // 4. The patient reads slowly: the clinic's lock time passes and nothing locks; half an hour
      // without a touch does, and what she typed is kept; only staff can unlock.
      await page.clock.fastForward('20:00');
      await page.waitForTimeout(7_000); // the idle check runs every 5 s
      await kiosk.expectPatientScreen('Maya');
      await page.clock.fastForward('11:00');
      await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible({ timeout: 15_000 });
      await expect(page.getByRole('heading', { name: 'Hello, Maya' })).toHaveCount(0);
      await expect(page.getByText('Okafor')).toHaveCount(0);
      await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
      await page.keyboard.press('Alt+P');
      await page.evaluate(() => (location.hash = '#/patients'));
      await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible();
      await expect(page.getByRole('table', { name: 'Patients' })).toHaveCount(0);
      await app.expectAccessible('patient mode locked');
      await look(page, 'locked', 'tablet');
      await app.unlock('not a staff passphrase');
      await expect(page.getByRole('alert')).toBeVisible(slow);
      await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible();
      await app.unlock(JORDAN.passphrase);
      await kiosk.expectPatientScreen('Maya');
      await expect(page.getByText(`Form ${form} of 5`)).toBeVisible(slow);
      await expect(page.getByRole('textbox', { name: "Escort's full name" })).toHaveValue(
        'Jonas Lindqvist',
      );
      await expect(page.getByRole('textbox', { name: "Escort's phone number" })).toHaveValue(
        '218-555-0147',
      );
      await look(page, 'escort-after-lock', 'tablet');
    }
    await kiosk.signFormAsPatient(form);
    await page.getByRole('button', { name: form < 5 ? 'Next form' : 'Finish forms' }).click();
  }

  // The PHQ-9: item 9 "Several days".
  await expect(page.getByRole('heading', { name: PHQ9 })).toBeVisible(slow);
  await kiosk.answer([...Array<string>(8).fill('Not at all'), 'Several days']);
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you — you are finished' })).toBeVisible();

  // 5. Leaving needs a staff passphrase: none, or a wrong one, is refused.
  await kiosk.end(JORDAN.username, '');
  await expect(page.getByRole('dialog').getByRole('alert')).toBeVisible(slow);
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await kiosk.expectPatientScreen('Maya');
  await kiosk.end(JORDAN.username, 'not the right passphrase');
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText(
    'do not match a staff member',
    slow,
  );
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await kiosk.expectPatientScreen('Maya');
  await kiosk.end(JORDAN.username, JORDAN.passphrase);

  // 6. Staff sign: Jordan witnesses, Dana confirms as the clinician with her own passphrase.
  await expect(page.getByText('Signed by the patient in patient mode')).toBeVisible(slow);
  await kiosk.finishPacket(JORDAN, DANA);
  await expect(page.getByText('5 consent forms signed for Okafor, Maya.')).toBeVisible(slow);
  await expect(consent.statusBadge('In-office IV ketamine')).toContainText('Current');
  // the front desk sees the safety alert, not the questionnaire or its score
  await expect(page.getByRole('region', { name: 'Risk alerts' })).toContainText(
    'a clinician is needed now',
  );
  await expect(page.getByText('PHQ-9 question 9')).toHaveCount(0);
  await look(page, 'chart-after', 'desktop');

  // 7. The PDF prints the escort's name and phone and the initials, in place.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save signed forms as PDF' }).click();
  await answerDisclosure(page);
  const { text } = await readDownloadedPdf(await download, 'pm-signed', { lastPage: 4 });
  expect(text).toContain('Jonas Lindqvist');
  expect(text).toContain('218-555-0147');
  expect(text).toMatch(/I will have an adult escort[^\n]*MO|MO[^\n]*I will have an adult escort/);
  expect(text).toContain(RECORDING);

  // 8. The patient withdraws the recording consent: "Withdrawn on …", nothing more to withdraw.
  await page.getByRole('link', { name: new RegExp(`^${RECORDING} — version 1`) }).click();
  await page.getByRole('button', { name: 'Record withdrawal of this consent' }).click();
  await consent.draw(page.getByRole('img', { name: /signature for withdrawal of/ }));
  await page.getByRole('button', { name: 'Record withdrawal', exact: true }).click();
  await page.getByRole('dialog').getByLabel('Passphrase').fill(JORDAN.passphrase);
  await page.getByRole('dialog').getByRole('button', { name: 'Record withdrawal' }).click();
  await expect(page.getByText(`Withdrawal of “${RECORDING}” recorded.`)).toBeVisible(slow);
  await expect(page.getByText(/^Withdrawn on /)).toBeVisible();
  await expect(page.getByRole('button', { name: /Record withdrawal/ })).toHaveCount(0);
  await app.expectAccessible('withdrawn consent');
  await look(page, 'withdrawn', 'desktop');
  // One form prints alone, with its withdrawal.
  const one = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save this form as PDF' }).click();
  await answerDisclosure(page);
  const single = (await readDownloadedPdf(await one, 'pm-one-form')).text;
  expect(single).toContain(RECORDING);
  expect(single).toMatch(/withdr/i);
  expect(single).not.toContain('Transport and escort agreement');
  await page.getByRole('button', { name: 'Back to chart' }).click();
  await expect(consent.statusBadge('In-office IV ketamine')).toContainText(/withdrawn on/i);
  // "Every form in force" leaves the withdrawn form out.
  const inForce = page.waitForEvent('download');
  await expect(page.getByRole('textbox', { name: 'Signed forms to print' })).toHaveValue(
    'Every form in force',
  );
  await page.getByRole('button', { name: 'Save signed forms as PDF' }).click();
  await answerDisclosure(page);
  const current = (await readDownloadedPdf(await inForce, 'pm-in-force')).text;
  expect(current).toContain('Transport and escort agreement');
  expect(current).not.toContain(RECORDING);

  // 9. A new version of the informed consent asks for re-consent: Maya is listed.
  await app.nav('Consent forms').click();
  await page.getByRole('button', { name: `Edit ${INFORMED}` }).click();
  const body = page.getByRole('dialog').getByLabel('Form text');
  await body.fill(`${await body.inputValue()}\n\n${ADDED_LINE}`);
  await page
    .getByRole('dialog')
    .getByRole('checkbox', { name: /^Ask for re-consent/ })
    .check();
  await page.getByRole('dialog').getByRole('button', { name: 'Save as version 2' }).click();
  const listed = page.getByRole('region', {
    name: `Patients who need to re-consent to ${INFORMED}`,
  });
  await expect(listed).toContainText('1 patient needs to re-consent', slow);
  await expect(listed.getByRole('link', { name: 'Okafor, Maya' })).toBeVisible();
  await app.expectAccessible('re-consent list');
  await look(page, 'reconsent', 'desktop');
  await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).click();

  // The versions, side by side.
  await page.getByRole('button', { name: `Versions of ${INFORMED}` }).click();
  const versions = page.getByRole('table', { name: 'Versions' });
  await expect(versions.getByRole('row')).toHaveCount(3);
  await expect(versions).toContainText('Asked of everyone who signed before');
  const sideBySide = page.getByRole('table', { name: 'Version 1 and version 2 side by side' });
  await expect(sideBySide.getByRole('row').filter({ hasText: ADDED_LINE })).toContainText('Added');
  await expect(page.getByRole('dialog').getByRole('status')).toContainText('differ');
  await app.expectAccessible('template versions');
  await look(page, 'versions', 'desktop');
  await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).click();
  await app.nav('Patients').click();
  await page.getByRole('button', { name: 'Open chart: Okafor, Maya' }).click();
  await expect(consent.statusBadge('In-office IV ketamine')).toContainText(/withdrawn/i);

  // 10. The therapist finds the questionnaire on the chart, completed by the patient.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await app.signIn(DANA.username, DANA.passphrase);
  await expect(page.getByText(`${DANA.name} · Therapist`)).toBeVisible(slow);
  await app.nav('Patients').click();
  await page.getByRole('button', { name: 'Open chart: Okafor, Maya' }).click();
  await expect(page.getByRole('region', { name: 'Risk alerts' })).toContainText('PHQ-9 question 9');
  // (the chart's course is drawn around the screen: the measure is found from My work today)
  await app.nav('My work today').click();
  const review = page.getByRole('table', { name: 'Completed by patients, awaiting review' });
  await expect(review.getByRole('row', { name: /Okafor, Maya/ })).toContainText('PHQ-9');
  await review.getByRole('link', { name: /PHQ-9/ }).click();
  await expect(page.getByText('Completed by the patient, awaiting review')).toBeVisible();
  await expect(page.getByText('Completed by the patient, in patient mode.')).toBeVisible();
});
