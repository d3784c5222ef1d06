import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import { ADMIN, AppPage } from './pages/app-page';
import { ConsentPage } from './pages/consent-page';
import { DosingPage, localInput } from './pages/dosing-page';
import { InventoryPage } from './pages/inventory-page';
import { PatientsPage } from './pages/patients-page';

const SAM = { name: 'Sam Patel', username: 'sam', passphrase: 'orchard rain at noon' };
const maya = { first: 'Maya', last: 'Okafor', dob: '1987-04-12' };

/** The administrator adds a prescriber and stores the standard consent forms, then hands over. */
async function setUpClinic(page: Page) {
  const app = new AppPage(page);
  await app.open();
  // Filled here with exact labels: the first-run screen also offers "Join a clinic" (its own user name).
  await page.getByLabel('Clinic name').fill(ADMIN.clinic);
  await page.getByLabel('Your full name').fill(ADMIN.name);
  await page.getByLabel('User name', { exact: true }).fill(ADMIN.username);
  await page.getByLabel('Passphrase', { exact: true }).fill(ADMIN.passphrase);
  await page.getByLabel('Repeat passphrase').fill(ADMIN.passphrase);
  await page.getByRole('button', { name: 'Create clinic' }).click();
  await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible();
  await app.nav('Settings').click();
  await page.getByLabel('Clinic address').fill('12 Pine St, Duluth, MN');
  await page.getByLabel('Clinic phone').fill('218-555-0100');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText(/saved/i).first()).toBeVisible();
  await page.getByRole('tab', { name: 'Users' }).click();
  await page.getByLabel('Full name').fill(SAM.name);
  await page.getByLabel('User name').fill(SAM.username);
  await page.getByRole('checkbox', { name: 'Prescriber' }).check();
  await page.getByLabel('First passphrase').fill(SAM.passphrase);
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('table', { name: 'Users' })).toContainText(SAM.username);
  await app.nav('Consent forms').click(); // the first visit stores the standard forms
  await expect(page.getByRole('table', { name: 'Consent forms' }).getByRole('row')).toHaveCount(9);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await app.signIn(SAM.username, SAM.passphrase);
  await expect(page.getByText(`${SAM.name} · Prescriber`)).toBeVisible();
  return app;
}

test('a prescriber doses only an eligible, consented patient, acknowledges high BP, signs, and the log balances', async ({
  page,
}) => {
  test.setTimeout(360_000);
  const app = await setUpClinic(page);
  const dosing = new DosingPage(page);
  const inventory = new InventoryPage(page);

  // stock first: a lot to draw from
  await app.nav('Inventory').click();
  await inventory.receive({ number: 'KX2291', quantity: 1000, expiry: '2030-06-30' });
  await expect(inventory.onHand('KX2291')).toHaveText('1000 mg');
  await app.expectAccessible('inventory');

  await app.nav('Patients').click();
  await new PatientsPage(page).addPatient(maya);

  // no eligibility evaluation: refused, with the reason
  await dosing.startDose(35);
  await expect(dosing.dialog().getByRole('alert')).toContainText(
    'No signed eligibility evaluation — complete and sign one before the first dose',
  );
  await dosing.dialog().getByRole('button', { name: 'Cancel' }).click();

  await dosing.signEligibleEvaluation(SAM.passphrase);
  await app.expectAccessible('eligibility evaluation (signed)');
  await page.screenshot({ path: '/tmp/prescriber-eligibility.png', fullPage: true });
  await page.getByRole('button', { name: 'Back to chart' }).click();
  await expect(page.getByText(/^Eligible — valid through/)).toBeVisible();

  // eligible but no consent: refused, naming the forms
  await dosing.startDose(35);
  await expect(dosing.dialog().getByRole('alert')).toContainText(
    'No current consent for in-office ketamine treatment',
  );
  await expect(dosing.dialog().getByRole('alert')).toContainText('not signed');
  await page.screenshot({ path: '/tmp/prescriber-refused.png' });
  await dosing.dialog().getByRole('button', { name: 'Cancel' }).click();

  await new ConsentPage(page).signPacket('In-office IV ketamine', 'Riley Morgan', SAM.passphrase);
  await expect(page.getByText(/consent forms signed for Okafor, Maya/)).toBeVisible();

  await dosing.startDose(35);
  await expect(page.getByRole('heading', { name: 'Dose record' })).toBeVisible();
  // the reminder asks for baseline vitals before anything else
  await expect(page.getByRole('status').filter({ hasText: 'Vitals due' })).toContainText(
    'Baseline vitals before dosing',
  );
  await dosing.fillDetails({ weightKg: 70, lot: /^KX2291/, startInMinutes: 3 });
  await expect(page.getByRole('status', { name: 'mg per kg' })).toHaveText(
    '0.5 mg/kg (clinic range 0.5–1)',
  );

  await dosing.addVitals({ sys: 152, dia: 94, hr: 82, at: localInput(0) });
  const bp = page.getByRole('alert').filter({ hasText: 'Pre-dose blood pressure 152/94' });
  await expect(bp).toContainText('above 140/90');
  // after the dose the next interval reading is due
  await expect(page.getByRole('status').filter({ hasText: 'Vitals due' })).toContainText(
    'Vitals (every 15 min)',
  );
  await dosing.addVitals({ sys: 138, dia: 86, hr: 76, at: localInput(20) });
  await expect(page.getByRole('img', { name: /Blood pressure and heart rate/ })).toBeVisible();
  await dosing.discharge('Daniel Okafor (husband)', localInput(90));

  // not signable while the high BP has no reason
  await page.getByRole('button', { name: 'Sign dose record' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Not ready to sign' })).toContainText(
    'Pre-dose blood pressure 152/94',
  );
  await bp
    .getByLabel('Reason for going ahead')
    .fill('Anxious on arrival; repeat 138/88 after rest');
  await bp.getByRole('button', { name: 'Record reason' }).click();
  await expect(
    page.getByText('Reason: Anxious on arrival; repeat 138/88 after rest'),
  ).toBeVisible();
  await app.expectAccessible('dose record (draft)');
  await page.screenshot({ path: '/tmp/prescriber-dose-draft.png', fullPage: true });
  await page.getByRole('button', { name: 'Sign dose record' }).click();
  await dosing.confirm(SAM.passphrase);
  await expect(page.getByText(`Signed by ${SAM.name}`)).toBeVisible();
  await page.screenshot({ path: '/tmp/prescriber-dose-signed.png', fullPage: true });

  // the administration came from the signed dose: exactly 35 mg less
  await app.nav('Inventory').click();
  await expect(inventory.onHand('KX2291')).toHaveText('965 mg');

  await inventory.waste({ lot: /^KX2291/, amount: 15 });
  await expect(inventory.dialog().getByRole('alert')).toContainText(
    'Waste needs a witness — ask a colleague to confirm it',
  );
  await inventory.waste({ lot: /^KX2291/, amount: 15, witness: ADMIN.name });
  const witness = page.getByRole('dialog', { name: `Witness: ${ADMIN.name}` });
  await witness.getByLabel('Passphrase').fill(SAM.passphrase); // not the witness's own
  await witness.getByRole('button', { name: 'Confirm as witness' }).click();
  await expect(witness.getByRole('alert')).toContainText('That passphrase is not correct');
  await witness.getByLabel('Passphrase').fill(ADMIN.passphrase);
  await witness.getByRole('button', { name: 'Confirm as witness' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(inventory.onHand('KX2291')).toHaveText('950 mg');
  await page.screenshot({ path: '/tmp/prescriber-inventory.png', fullPage: true });

  // the printed log, for the whole period
  await page.getByLabel('To').fill(localInput(24 * 60).slice(0, 10));
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save log as PDF' }).click();
  const dir = mkdtempSync(join(tmpdir(), 'kat-cslog-'));
  const file = join(dir, 'log.pdf');
  await (await download).saveAs(file);
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '60',
    '-f',
    '1',
    '-l',
    '1',
    file,
    '/tmp/prescriber-cs-log',
  ]);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  expect(text).toContain('Controlled-substance log');
  expect(text).toMatch(/Receipt\s+\+1000\s+1000\s+Midwest Medical Supply/);
  // rows run in time order (the administration is dated at the infusion start), so each row is
  // checked on its own and the closing balance checks the sum
  expect(text).toMatch(/Administration\s+-35\s+\d+\s+Patient: Okafor, Maya/);
  expect(text).toMatch(/Waste\s+-15\s+\d+/);
  expect(text).toMatch(/KX2291.*mg\s+0\s+950/);
  expect(text).toMatch(/witness: Riley\s+Morgan/); // may wrap in its column
});
