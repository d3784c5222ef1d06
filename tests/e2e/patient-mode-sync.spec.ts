/**
 * Issue 17: the item-9 alert from patient mode reaches the other signed-in computers of the clinic.
 * Two browser contexts are two computers syncing through a real clinic server (`server/main.ts`):
 * the front desk, where a practice manager hands the tablet to the patient, and the therapist's
 * computer, which never ran patient mode. The therapist's computer shows the safety alert on the
 * chart and under My work today, and lists the questionnaire awaiting her review.
 */
import { expect, test } from '@playwright/test';
import { ADMIN, AppPage } from './pages/app-page';
import { type ClinicServer, startClinicServer } from './pages/clinic-server';
import { PatientModePage } from './pages/patient-mode-page';
import { PatientsPage } from './pages/patients-page';
import { SyncPage } from './pages/sync-page';

const JORDAN = { name: 'Jordan Lee', username: 'jordan', passphrase: 'front desk at eight' };
const DANA = { name: 'Dana Reyes', username: 'dana', passphrase: 'quiet forest path at noon' };
const PHQ9 = 'Patient Health Questionnaire (PHQ-9)';
const slow = { timeout: 90_000 };

let server: ClinicServer;
test.beforeAll(async () => {
  server = await startClinicServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('a PHQ-9 answered in patient mode at the front desk raises the safety alert on the therapist’s computer, which lists it for review', async ({
  browser,
}) => {
  test.setTimeout(600_000);
  const front = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const office = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const [pa, pb] = [await front.newPage(), await office.newPage()];
  const [appA, appB] = [new AppPage(pa), new AppPage(pb)];
  const [syncA, syncB] = [new SyncPage(pa), new SyncPage(pb)];

  // The front desk computer sets up the clinic and its server; the therapist's computer joins.
  await appA.open();
  await appA.createClinic();
  await syncA.openServerSettings();
  await syncA.connectFirstDevice(server.url, server.setupToken);
  const code = await syncA.createEnrollmentCode();
  await appA.addUser({ ...JORDAN, roles: ['Practice manager'] });
  await expect(pa.getByText(`can now sign in as “${JORDAN.username}”`)).toBeVisible(slow);
  await appA.addUser({ ...DANA, roles: ['Therapist'] });
  await expect(pa.getByText(`can now sign in as “${DANA.username}”`)).toBeVisible(slow);
  await appB.open();
  await syncB.startJoin({
    serverUrl: server.url,
    code,
    username: ADMIN.username,
    passphrase: ADMIN.passphrase,
    computerName: 'Dana’s office',
  });
  await syncA.confirmComputer(await syncB.joinFingerprint());
  await syncB.joined();

  // The practice manager adds the patient and hands her the tablet with a PHQ-9.
  await pa.getByRole('button', { name: 'Sign out' }).click();
  await appA.signIn(JORDAN.username, JORDAN.passphrase);
  await expect(pa.getByText(`${JORDAN.name} · Practice manager`)).toBeVisible(slow);
  await appA.nav('Patients').click();
  await new PatientsPage(pa).addPatient({
    first: 'Maya',
    last: 'Okafor',
    dob: '1987-04-12',
    chart: 'KC-0042',
  });
  const kiosk = new PatientModePage(pa);
  await kiosk.start(undefined, [PHQ9]);
  await pa.getByRole('radio', { name: 'None' }).check();
  await kiosk.handOver();
  await kiosk.expectPatientScreen('Maya');
  await kiosk.answer([...Array<string>(8).fill('Not at all'), 'Several days']);
  await pa.getByRole('button', { name: 'Done' }).click();
  await expect(pa.getByRole('heading', { name: 'Thank you — you are finished' })).toBeVisible();
  await kiosk.end(JORDAN.username, JORDAN.passphrase);
  // The front desk learns that a clinician is needed, never the answers or the score.
  await expect(pa.getByRole('region', { name: 'Risk alerts' })).toContainText(
    'a clinician is needed now',
    slow,
  );
  await expect(pa.getByText('PHQ-9 question 9')).toHaveCount(0);
  await expect(syncA.status()).toHaveAccessibleName(/Synced/, slow);

  // Dana's computer, which never ran patient mode: she signs in there and sees the alert.
  await pb.getByRole('button', { name: 'Sign out' }).click();
  await expect(async () => {
    // Dana's key reaches the office computer with a sync round; until then it does not know her.
    await appB.signIn(DANA.username, DANA.passphrase);
    await expect(pb.getByText(`${DANA.name} · Therapist`)).toBeVisible({ timeout: 30_000 });
  }).toPass({ timeout: 180_000, intervals: [5_000] });
  const openChart = pb.getByRole('button', { name: 'Open chart: Okafor, Maya' });
  await expect(async () => {
    await appB.nav('Patients').click();
    await expect(openChart).toBeVisible({ timeout: 5_000 });
  }).toPass(slow);
  await openChart.click();
  await expect(pb.getByRole('region', { name: 'Risk alerts' })).toContainText(
    'PHQ-9 question 9',
    slow,
  );
  await expect(pb.getByText('Completed by the patient, awaiting review')).toBeVisible();

  // My work today lists the patient's questionnaire for a clinician to review.
  await appB.nav('My work today').click();
  const review = pb.getByRole('table', { name: 'Completed by patients, awaiting review' });
  await expect(review.getByRole('row', { name: /Okafor, Maya/ })).toContainText('PHQ-9');
  await expect(review.getByRole('row', { name: /Okafor, Maya/ })).toContainText(
    'Suicide-risk alert',
  );
  await appB.expectAccessible('my work with measures awaiting review');
  await pb.screenshot({ path: '/tmp/patient-mode-sync-my-work-1280.png', fullPage: true });
  await review.getByRole('link', { name: /PHQ-9/ }).click();
  await expect(pb.getByText('Completed by the patient, in patient mode.')).toBeVisible();
  await front.close();
  await office.close();
});
