import { expect, test } from '@playwright/test';
import { ADMIN } from './pages/app-page';
import { SAM, setUpPrescriberClinic } from './pages/clinic-setup';
import { ConsentPage } from './pages/consent-page';
import { DosingPage, localInput } from './pages/dosing-page';
import { InventoryPage } from './pages/inventory-page';
import { PatientsPage } from './pages/patients-page';
import { readDownloadedPdf } from './pages/pdf';
import { answerDisclosure } from './pages/disclosure-dialog';

const maya = {
  first: 'Maya',
  last: 'Okafor',
  dob: '1987-04-12',
  address: '18 Elm Street, Portland, ME 04101',
};

test('a prescriber doses only an eligible, consented patient, acknowledges high BP, signs, and the log balances', async ({
  page,
}) => {
  test.setTimeout(360_000);
  const app = await setUpPrescriberClinic(page);
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

  await new ConsentPage(page).signPacket('In-office IV ketamine', SAM, undefined, {
    name: ADMIN.name,
    passphrase: ADMIN.passphrase,
  });
  await expect(page.getByText(/consent forms signed for Okafor, Maya/)).toBeVisible();

  await dosing.startDose(35);
  await expect(page.getByRole('heading', { name: 'Dose record' })).toBeVisible();
  // the reminder asks for baseline vitals before anything else
  await expect(page.getByRole('status').filter({ hasText: 'Vitals due' })).toContainText(
    'Baseline vitals before dosing',
  );
  await dosing.fillDetails({ weightKg: 70, lot: /^KX2291/ });
  await expect(page.getByRole('status', { name: 'mg per kg' })).toHaveText(
    '0.5 mg/kg (clinic range 0.5–1)',
  );

  await dosing.addVitals({ sys: 152, dia: 94, hr: 82, at: localInput(0) });
  // The finding with its reason field (the "Dosing cannot start yet" alert lists the same words).
  const bp = page
    .getByRole('alert')
    .filter({ hasText: 'Pre-dose blood pressure 152/94' })
    .filter({ has: page.getByLabel('Reason for going ahead') });
  await expect(bp).toContainText('above 140/90');
  // the infusion cannot start while the high BP has no reason (issue 15: before dosing, not at
  // signing)
  await dosing.startInfusion(3, 52.5);
  await expect(
    page.getByRole('alert').filter({ hasText: /^Dosing cannot start yet: Pre-dose blood/ }),
  ).toContainText('no reason recorded');
  await bp
    .getByLabel('Reason for going ahead')
    .fill('Anxious on arrival; repeat 138/88 after rest');
  await bp.getByRole('button', { name: 'Record reason' }).click();
  await expect(
    page.getByText('Reason: Anxious on arrival; repeat 138/88 after rest'),
  ).toBeVisible();
  // 52.5 mg/h for 40 minutes: the 35 mg planned
  await dosing.startInfusion(3, 52.5);
  await expect(page.getByRole('alert').filter({ hasText: /^Dosing cannot start yet/ })).toHaveCount(
    0,
  );
  // after the dose the next interval reading is due
  await expect(page.getByRole('status').filter({ hasText: 'Vitals due' })).toContainText(
    'Vitals (every 15 min)',
  );
  await dosing.addVitals({ sys: 138, dia: 86, hr: 76, at: localInput(20) });
  await expect(page.getByRole('img', { name: /Blood pressure and heart rate/ })).toBeVisible();
  await dosing.endInfusion(43);
  await dosing.discharge('Daniel Okafor (husband)', localInput(90));
  await app.expectAccessible('dose record (draft)');
  await page.screenshot({ path: '/tmp/prescriber-dose-draft.png', fullPage: true });
  await page.getByRole('button', { name: 'Sign dose record' }).click();
  await dosing.confirm(SAM.passphrase);
  await expect(page.getByText(`Signed by ${SAM.name}`)).toBeVisible();
  // the lot's balance as it was at signing (issue 15, finding 7)
  const lotAtSigning = page.getByLabel('Lot balance at signing');
  await expect(lotAtSigning).toHaveText(
    'Lot KX2291 at signing: 1000 mg on hand, 965 mg after this dose',
  );
  await page.screenshot({ path: '/tmp/prescriber-dose-signed.png', fullPage: true });

  // the administration came from the signed dose: exactly 35 mg less
  await app.nav('Inventory').click();
  await expect(inventory.onHand('KX2291')).toHaveText('965 mg');
  // the log on screen names the patient of each administration (21 CFR 1304.22(c))
  const log = page.getByRole('table', { name: 'Log entries' });
  await expect(log.getByRole('columnheader', { name: 'Patient' })).toBeVisible();
  await expect(log.getByRole('row').filter({ hasText: 'Administration' })).toContainText(
    'Okafor, Maya18 Elm Street, Portland, ME 04101',
  );
  // what each container holds, as a number (21 CFR 1304.22(a)(2)(iii))
  await expect(page.getByLabel('Per container, lot KX2291')).toHaveText('500 mg');

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
  // back on the signed dose: still the balance it was signed at, not today's 950
  await page.goBack();
  await expect(lotAtSigning).toHaveText(
    'Lot KX2291 at signing: 1000 mg on hand, 965 mg after this dose',
  );
  await expect(page.getByText('950 mg')).toHaveCount(0);
  await app.nav('Inventory').click();

  // the printed log, for the whole period
  await page.getByLabel('To').fill(localInput(24 * 60).slice(0, 10));
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save log as PDF' }).click();
  await answerDisclosure(page);
  const { text } = await readDownloadedPdf(await download, 'prescriber-cs-log');
  expect(text).toContain('Controlled-substance log');
  expect(text).toMatch(/Receipt\s+\+1000\s+1000\s+Midwest Medical Supply/);
  // rows run in time order (the administration is dated at the infusion start), so each row is
  // checked on its own and the closing balance checks the sum
  expect(text).toMatch(/Administration\s+-35\s+\d+\s+Patient: Okafor, Maya, 18 Elm/);
  expect(text).toMatch(/Street, Portland, ME 04101/); // wraps in its column
  expect(text).toMatch(/2 containers of 500\s+mg, invoice INV-881/); // may wrap
  expect(text).toMatch(/Waste\s+-15\s+\d+/);
  expect(text).toMatch(/KX2291.*mg\s+0\s+950/);
  expect(text).toMatch(/witness: Riley\s+Morgan/); // may wrap in its column
});

test('inventory: initial inventory, a count that differs from the book is flagged until an adjustment resolves it', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const app = await setUpPrescriberClinic(page);
  const inventory = new InventoryPage(page);
  await app.nav('Inventory').click();
  await expect(page.getByRole('status').filter({ hasText: 'No initial inventory' })).toBeVisible();

  await inventory.initialInventory({ number: 'KQ0042', counted: 250, expiry: '2030-01-31' });
  await expect(inventory.dialog()).toHaveCount(0);
  await expect(inventory.onHand('KQ0042')).toHaveText('250 mg');
  await expect(
    page.getByRole('status').filter({ hasText: 'Next biennial inventory due by' }),
  ).toBeVisible();
  // the same lot twice is refused, in words that say what to do instead
  await inventory.initialInventory({ number: 'KQ0042', counted: 250, expiry: '2030-01-31' });
  await expect(inventory.dialog().getByRole('alert')).toContainText(
    'Lot KQ0042 is already in the log — record its initial inventory as a count',
  );
  await app.expectAccessible('initial inventory dialog');
  await page.screenshot({ path: '/tmp/prescriber-initial-inventory.png' });
  await inventory.dialog().getByRole('button', { name: 'Cancel' }).click();

  // a routine count two short of the book: flagged, in the banner and on the entry
  await inventory.count({ lot: /^KQ0042/, counted: 248, note: 'Monthly count' });
  await expect(inventory.dialog()).toHaveCount(0);
  await expect(inventory.discrepancies()).toHaveCount(1);
  await expect(inventory.discrepancies()).toContainText('Lot KQ0042 counted 248');
  await expect(inventory.discrepancies()).toContainText('the book balance was 250 (difference -2)');
  const entries = page.getByRole('table', { name: 'Log entries' });
  await expect(entries.getByRole('row').filter({ hasText: 'Monthly count' })).toContainText(
    'Discrepancy -2',
  );
  await app.expectAccessible('inventory with a discrepancy');
  await page.screenshot({ path: '/tmp/prescriber-discrepancy.png', fullPage: true });

  // resolving it: the adjustment is prefilled from the count and needs a reason
  await inventory
    .discrepancies()
    .getByRole('button', { name: /^Record adjustment for lot KQ0042/ })
    .click();
  const d = inventory.dialog();
  await expect(d.getByLabel('Change to the balance')).toHaveValue('-2');
  await d.getByRole('button', { name: 'Record adjustment' }).click();
  await expect(d.getByRole('alert')).toContainText('Say why the balance is adjusted');
  await app.expectAccessible('adjustment dialog');
  await page.screenshot({ path: '/tmp/prescriber-adjustment.png' });
  await d.getByLabel('Reason').fill('Two vials broken in transit, found in the sharps bin');
  await d.getByRole('button', { name: 'Record adjustment' }).click();
  await expect(d).toHaveCount(0);
  await expect(inventory.discrepancies()).toHaveCount(0);
  await expect(inventory.onHand('KQ0042')).toHaveText('248 mg');
  await expect(entries.getByRole('row').filter({ hasText: 'Monthly count' })).toContainText(
    'Discrepancy -2, adjusted',
  );
});

test('what was typed on the eligibility evaluation and the dose record survives a reload', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const app = await setUpPrescriberClinic(page);
  const dosing = new DosingPage(page);
  await app.nav('Patients').click();
  await new PatientsPage(page).addPatient(maya);

  // eligibility: typed, never saved; the page is reloaded (as after a crash)
  await page.getByRole('button', { name: 'Eligibility evaluation' }).click();
  await expect(page.getByRole('heading', { name: 'Eligibility evaluation' })).toBeVisible();
  const evaluation = page.url();
  const history = 'Major depression since 2015; two SSRIs without remission. No psychosis.';
  await page.getByLabel('Psychiatric history').fill(history);
  await page.getByRole('radio', { name: 'Eligible', exact: true }).check();
  await page.waitForTimeout(600);
  await page.reload();
  await app.signIn(SAM.username, SAM.passphrase);
  await page.goto(evaluation);
  await expect(page.getByRole('status').filter({ hasText: 'was kept' })).toBeVisible();
  await expect(page.getByLabel('Psychiatric history')).toHaveValue(history);
  await expect(page.getByRole('radio', { name: 'Eligible', exact: true })).toBeChecked();
  await app.expectAccessible('eligibility evaluation with kept input');
  await page.getByLabel('Medical history').fill('Well-controlled asthma.');
  for (const group of await page.getByRole('radiogroup').all()) {
    const no = group.getByRole('radio', { name: 'No', exact: true });
    if ((await no.count()) > 0) await no.check();
  }
  await page.getByRole('button', { name: 'Sign evaluation' }).click();
  await dosing.confirm(SAM.passphrase);
  await expect(page.getByText(/^Signed by /)).toBeVisible();
  await page.getByRole('button', { name: 'Back to chart' }).click();

  // dose record: the weight typed is in the record without a Save click
  await new ConsentPage(page).signPacket('In-office IV ketamine', SAM, undefined, {
    name: ADMIN.name,
    passphrase: ADMIN.passphrase,
  });
  await expect(page.getByText(/consent forms signed for Okafor, Maya/)).toBeVisible();
  await dosing.startDose(35);
  await expect(page.getByRole('heading', { name: 'Dose record' })).toBeVisible();
  const dose = page.url();
  await page.getByLabel('Weight (kg)').fill('72.5');
  // and a vitals reading and an observation typed but not yet added
  await page.getByLabel('Systolic').fill('128');
  await page.getByLabel('Diastolic').fill('82');
  await page.getByLabel('Heart rate').fill('76');
  await page.getByLabel('Observation note').fill('eyes closed, calm');
  await page.waitForTimeout(600);
  await page.reload();
  await app.signIn(SAM.username, SAM.passphrase);
  await page.goto(dose);
  await expect(page.getByLabel('Weight (kg)')).toHaveValue('72.5');
  await expect(page.getByLabel('Systolic')).toHaveValue('128');
  await expect(page.getByLabel('Heart rate')).toHaveValue('76');
  await expect(page.getByLabel('Observation note')).toHaveValue('eyes closed, calm');
  // (the weight went into the record itself; the reading and the observation were kept aside)
  await expect(page.getByRole('status').filter({ hasText: 'was kept' })).toHaveCount(2);
  await expect(page.getByRole('status', { name: 'Dose record: Saved' })).toBeVisible();
  await page.getByRole('button', { name: 'Add vitals' }).click();
  await expect(page.getByRole('table', { name: 'Vital signs' })).toContainText('128/82');
  await expect(page.getByLabel('Systolic')).toHaveValue('');
  await page.getByRole('button', { name: 'Add observation' }).click();
  await expect(page.getByRole('list', { name: 'Observations' })).toContainText('eyes closed, calm');
  await expect(page.getByRole('status').filter({ hasText: 'was kept' })).toHaveCount(0);
  await page.screenshot({ path: '/tmp/prescriber-dose-kept.png', fullPage: true });
});

test("the clinic's own contraindication is asked on the evaluation and, ticked, is no plain 'eligible'", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const app = await setUpPrescriberClinic(page, {
    contraindications: ['Aneurysmal vascular disease'],
  });
  await app.nav('Patients').click();
  await new PatientsPage(page).addPatient(maya);
  await page.getByRole('button', { name: 'Eligibility evaluation' }).click();
  const item = page.getByRole('radiogroup', { name: 'Aneurysmal vascular disease' });
  await expect(item).toBeVisible();
  await page
    .getByLabel('Psychiatric history')
    .fill('Major depression; two SSRIs without remission.');
  await page.getByLabel('Medical history').fill('Small stable intracranial aneurysm (2021 MRI).');
  for (const group of await page.getByRole('radiogroup').all()) {
    const no = group.getByRole('radio', { name: 'No', exact: true });
    if ((await no.count()) > 0) await no.check();
  }
  await item.getByRole('radio', { name: 'Yes' }).check();
  await page.getByRole('radio', { name: 'Eligible', exact: true }).check();
  await expect(page.getByText('Before signing')).toBeVisible();
  await expect(
    page.getByText(
      'Contraindication present (Aneurysmal vascular disease): choose "eligible with conditions"',
    ),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Sign evaluation' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'This evaluation cannot be signed yet' }),
  ).toContainText('Contraindication present (Aneurysmal vascular disease)');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.screenshot({ path: '/tmp/eligibility-clinic-contraindication.png', fullPage: true });

  await page.getByRole('radio', { name: 'Eligible with conditions' }).check();
  await page
    .getByRole('textbox', { name: 'Conditions' })
    .fill('Neurosurgery clearance on file; systolic ceiling 140');
  await page.getByRole('button', { name: 'Sign evaluation' }).click();
  await new DosingPage(page).confirm(SAM.passphrase);
  await expect(page.getByText(/^Signed by /)).toBeVisible();
  await expect(item.getByRole('radio', { name: 'Yes' })).toBeChecked();
});
