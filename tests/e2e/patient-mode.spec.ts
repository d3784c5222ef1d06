import { expect, test } from '@playwright/test';
import { ADMIN, AppPage } from './pages/app-page';
import { PatientModePage } from './pages/patient-mode-page';
import { PatientsPage } from './pages/patients-page';

/** A therapist collects the packet and the questionnaires (measures are clinicians' records). */
const DANA = { name: 'Dana Reyes', username: 'dana', passphrase: 'quiet forest path at noon' };
const maya = { first: 'Maya', last: 'Okafor', dob: '1987-04-12', chart: 'KC-0042' };
const slow = { timeout: 60_000 };
const PHQ9 = 'Patient Health Questionnaire (PHQ-9)';
const NOT_AT_ALL = Array<string>(8).fill('Not at all');

// The tablet the clinic hands over: 1024×768 with touch; screens are looked at at 1280×800 too.
test.use({ viewport: { width: 1024, height: 768 }, hasTouch: true });

async function look(page: import('@playwright/test').Page, name: string) {
  await page.screenshot({ path: `/tmp/patient-mode-${name}-1024.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `/tmp/patient-mode-${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 1024, height: 768 });
}

/** A new clinic with its contact details, Dana the therapist signed in, and Maya's chart open. */
async function clinicWithMaya(page: import('@playwright/test').Page) {
  const app = new AppPage(page);
  const kiosk = new PatientModePage(page);
  await app.open();
  await app.createClinic();
  await app.setClinicContact();
  await app.addUser({ ...DANA, roles: ['Therapist'] });
  await expect(page.getByText(`can now sign in as “${DANA.username}”`)).toBeVisible(slow);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await app.signIn(DANA.username, DANA.passphrase);
  await expect(page.getByText(`${DANA.name} · Therapist`)).toBeVisible(slow);
  await app.nav('Patients').click();
  await new PatientsPage(page).addPatient(maya);
  return { app, kiosk };
}

test('the patient signs a packet and answers a PHQ-9 in patient mode; only a staff passphrase ends it; the chart shows what they gave', async ({
  page,
}) => {
  test.setTimeout(540_000);
  const { app, kiosk } = await clinicWithMaya(page);

  await kiosk.start('In-office IV ketamine', [PHQ9]);
  await page.mouse.move(900, 700);
  await app.expectAccessible('start patient mode');
  await look(page, 'start');
  await kiosk.handOver();
  await kiosk.expectPatientScreen('Maya');
  // staff notices stay with staff ("Maya Okafor saved" once covered this form, hovered)
  await expect(page.getByText(`${maya.first} ${maya.last} saved`)).toHaveCount(0);
  await expect(page.getByText('Step 1 of 2')).toBeVisible();
  await expect(page.getByText('Form 1 of 4')).toBeVisible();
  await app.expectAccessible('patient mode: first form');
  await look(page, 'form');

  // Nothing takes the patient out: shortcuts, the back button, a typed address, a reload.
  const chart = (await page.evaluate(() => location.hash)).replace('#/patient-mode', '');
  expect(chart).toBe('');
  await page.keyboard.press('Alt+L');
  await page.keyboard.press('Alt+P');
  await page.keyboard.press('Alt+N');
  await kiosk.expectPatientScreen('Maya');
  await page.goBack();
  await kiosk.expectPatientScreen('Maya');
  await page.evaluate(() => (location.hash = '#/settings'));
  await kiosk.expectPatientScreen('Maya');
  await page.evaluate(() => (location.hash = '#/'));
  await kiosk.expectPatientScreen('Maya');
  await expect(page.getByRole('table', { name: 'Patients' })).toHaveCount(0);

  // The consent forms, one at a time: fields and initials where the form has them, then signing.
  for (let form = 1; form <= 4; form++) {
    await expect(page.getByText(`Form ${form} of 4`)).toBeVisible();
    if (form === 2) {
      await expect(page.getByRole('heading', { name: /Transport and escort/i })).toBeVisible();
      // going on without the escort's details is refused, by name
      await kiosk.consent.draw(
        page.getByRole('img', { name: /^Patient signature for .*draw with/ }),
        form,
      );
      await page.getByRole('button', { name: 'Next form' }).click();
      await expect(page.getByRole('alert')).toContainText(/Escort/);
      await kiosk.signFormAsPatient(form);
      await app.expectAccessible('patient mode: form with fields');
      await look(page, 'escort-form');
    } else await kiosk.signFormAsPatient(form);
    await page.getByRole('button', { name: form < 4 ? 'Next form' : 'Finish forms' }).click();
  }

  // A reload keeps the patient in patient mode (and on their next task) once staff sign in again.
  await page.reload();
  await app.signIn(DANA.username, DANA.passphrase);
  await kiosk.expectPatientScreen('Maya');
  await expect(page.getByText('Step 2 of 2')).toBeVisible(slow);
  await expect(page.getByRole('heading', { name: PHQ9 })).toBeVisible();
  await expect(
    page.getByText('Over the last 2 weeks, how often have you been bothered'),
  ).toBeVisible();
  await kiosk.answer([...NOT_AT_ALL.slice(0, 3)]);
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('alert')).toContainText('Please answer questions 4, 5, 6, 7, 8, 9');
  await app.expectAccessible('patient mode: questionnaire');
  await look(page, 'phq9');
  await kiosk.answer([...NOT_AT_ALL, 'Several days']);
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you — you are finished' })).toBeVisible();
  await app.expectAccessible('patient mode: finished');
  await look(page, 'done');

  // Leaving: a wrong passphrase is refused and patient mode stays; the right one ends it.
  await kiosk.end(DANA.username, 'not the right passphrase');
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText(
    'do not match a staff member',
    slow,
  );
  await app.expectAccessible('patient mode: end dialog');
  await look(page, 'end-dialog');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await kiosk.expectPatientScreen('Maya');
  await kiosk.end(DANA.username, DANA.passphrase);

  // Staff add their signatures to what the patient signed.
  await expect(page.getByText('Signed by the patient in patient mode')).toBeVisible(slow);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(
    page.getByRole('img', { name: /^Patient signature for .*, by Maya Okafor/ }),
  ).toHaveCount(1);
  await app.expectAccessible('finish the packet from patient mode');
  await kiosk.finishPacket(DANA);
  await expect(page.getByText('4 consent forms signed for Okafor, Maya.')).toBeVisible(slow);

  // The chart: consent current, the suicide-risk alert, the measure completed by the patient.
  await expect(kiosk.consent.statusBadge('In-office IV ketamine')).toContainText('Current');
  await expect(page.getByRole('region', { name: 'Risk alerts' })).toContainText('PHQ-9 question 9');
  await expect(page.getByText('Completed by the patient, awaiting review')).toBeVisible();
  await page.screenshot({ path: '/tmp/patient-mode-chart-1024.png', fullPage: true });
  await page.getByRole('link', { name: /^Outcome measure: PHQ-9 1/ }).click();
  await expect(page.getByText('Completed by the patient, awaiting review')).toBeVisible();
  await expect(page.getByText('Completed by the patient, in patient mode.')).toBeVisible();
  await page.getByRole('button', { name: 'Mark reviewed' }).click();
  await page.getByRole('dialog').getByLabel('Passphrase').fill(DANA.passphrase);
  await page.getByRole('dialog').getByRole('button', { name: 'Sign as reviewed' }).click();
  await expect(page.getByText('Signed — read only')).toBeVisible(slow);
  await expect(page.getByRole('button', { name: 'Mark reviewed' })).toHaveCount(0);
  await app.expectAccessible('reviewed patient measure');
});

test('another staff member who signs in while the patient is mid-packet finds what the patient gave, and can finish it', async ({
  page,
}) => {
  test.setTimeout(540_000);
  const { app, kiosk } = await clinicWithMaya(page);
  await kiosk.start('In-office IV ketamine', []);
  await kiosk.handOver();
  await kiosk.expectPatientScreen('Maya');

  // The patient signs the first form and starts the escort form.
  await kiosk.signFormAsPatient(1);
  await page.getByRole('button', { name: 'Next form' }).click();
  await expect(page.getByText('Form 2 of 4')).toBeVisible();
  await page.getByRole('textbox', { name: "Escort's full name" }).fill('Jonas Lindqvist');
  await page.waitForTimeout(800);

  // Dana's shift ends; the computer restarts and the administrator signs in to it.
  await page.reload();
  await app.signIn(ADMIN.username, ADMIN.passphrase);
  await kiosk.expectPatientScreen('Maya');
  await expect(page.getByText('Form 2 of 4')).toBeVisible(slow);
  await expect(page.getByRole('textbox', { name: "Escort's full name" })).toHaveValue(
    'Jonas Lindqvist',
  );
  for (let form = 2; form <= 4; form++) {
    await kiosk.signFormAsPatient(form);
    await page.getByRole('button', { name: form < 4 ? 'Next form' : 'Finish forms' }).click();
  }
  await kiosk.end(ADMIN.username, ADMIN.passphrase);

  // The patient's four signatures wait for staff whoever signed in; the packet is finished.
  await expect(page.getByText('Signed by the patient in patient mode')).toBeVisible(slow);
  await expect(
    page.getByRole('img', { name: /^Patient signature for .*, by Maya Okafor/ }),
  ).toHaveCount(1);
  // The administrator does not collect consent: the chart keeps the packet waiting, and says so.
  await page.getByRole('button', { name: 'Back to chart' }).click();
  const waiting = page.getByRole('alert').filter({ hasText: 'staff signatures needed' });
  await expect(waiting).toContainText('A colleague who collects consent signatures finishes it');
  await page.getByRole('button', { name: 'Sign out' }).click();

  // Dana, next morning, finds it on the chart and finishes it.
  await app.signIn(DANA.username, DANA.passphrase);
  await expect(page.getByText(`${DANA.name} · Therapist`)).toBeVisible(slow);
  await app.nav('Patients').click();
  await page.getByRole('button', { name: 'Open chart: Okafor, Maya' }).click();
  await expect(waiting).toBeVisible(slow);
  await app.expectAccessible('chart with a packet signed in patient mode waiting');
  await page.screenshot({ path: '/tmp/patient-mode-waiting-packet-1024.png', fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: '/tmp/patient-mode-waiting-packet-1280.png', fullPage: true });
  await waiting.getByRole('button', { name: /^Add staff signatures to the / }).click();
  await expect(
    page.getByRole('img', { name: /^Patient signature for .*, by Maya Okafor/ }),
  ).toHaveCount(1);
  await kiosk.finishPacket(DANA);
  await expect(page.getByText('4 consent forms signed for Okafor, Maya.')).toBeVisible(slow);
  // On the chart: the packet counts, and nothing waits any more.
  await expect(kiosk.consent.statusBadge('In-office IV ketamine')).toContainText('Current');
  await expect(waiting).toHaveCount(0);
});
