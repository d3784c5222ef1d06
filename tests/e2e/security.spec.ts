import { expect, test } from '@playwright/test';
import { ADMIN, AppPage } from './pages/app-page';
import { AuditPage, PRESCRIBER } from './pages/audit-page';
import { NotesPage } from './pages/notes-page';
import { PatientsPage } from './pages/patients-page';

const maya = { first: 'Maya', last: 'Okafor', dob: '1987-04-12' };
const BACKUP_PASSPHRASE = 'offsite copy kept in the safe';

// Each test derives Argon2id keys five or six times (sign-ins, a new user, backup, restore).
test.describe.configure({ timeout: 180_000 });

test('the audit log shows chart views and flags an event changed behind the app’s back', async ({
  page,
}, testInfo) => {
  const app = new AppPage(page);
  const audit = new AuditPage(page);
  await app.open();
  await app.createClinic();
  await audit.addColleague(PRESCRIBER);
  await audit.switchUser(PRESCRIBER.username, PRESCRIBER.passphrase);
  await new PatientsPage(page).addPatient(maya);
  await expect(page.getByRole('heading', { name: 'Okafor, Maya' })).toBeVisible();
  await audit.switchUser(ADMIN.username, ADMIN.passphrase);

  await audit.open();
  // Reviewing the log is itself recorded, newest first: the administrator's own visit on top.
  await expect(audit.events().first()).toContainText('Opened the audit log');
  await expect(audit.events().first()).toContainText(ADMIN.name);
  await expect(audit.events().filter({ hasText: 'Viewed chart' }).first()).toContainText(
    'Okafor, Maya',
  );
  await expect(audit.events().filter({ hasText: 'Viewed chart' }).first()).toContainText(
    PRESCRIBER.name,
  );
  await expect(audit.events().filter({ hasText: 'Signed in' }).first()).toContainText(ADMIN.name);
  await audit.verify();
  await expect(page.getByRole('status').filter({ hasText: 'Audit chain intact' })).toBeVisible();
  await page.mouse.move(0, 0); // the theme's hover shade (teal-8) is below AA; see report
  await app.expectAccessible('audit log');
  await page.screenshot({ path: '/tmp/audit-log.png', fullPage: true });

  // A privacy officer sorts by patient (events with none last) and picks a review period.
  const patientHeader = page.getByRole('columnheader', { name: 'Patient', exact: true });
  await expect(audit.events().first()).not.toContainText('Okafor, Maya');
  await patientHeader.getByRole('button').click();
  await expect(patientHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(audit.events().first()).toContainText('Okafor, Maya');
  await expect(audit.events().filter({ hasText: 'Created' }).first()).toContainText('Patient');
  const week = page.getByRole('button', { name: 'Last 7 days' });
  await week.click();
  await expect(week).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByLabel('From', { exact: true })).not.toHaveValue('');
  await expect(audit.events().filter({ hasText: 'Viewed chart' }).first()).toBeVisible();
  await page.getByRole('button', { name: 'All time' }).click();
  await expect(page.getByLabel('From', { exact: true })).toHaveValue('');

  await audit.filterAction('Viewed chart');
  await expect(audit.events()).toHaveCount(1);

  // Exports carry the filtered events, and are themselves audited.
  const csv = await audit.export('CSV', testInfo.outputPath('audit.csv'));
  expect(csv.toString('utf8')).toMatch(/^When \(UTC\),Action,User/);
  expect(csv.toString('utf8')).toContain(',view,Sam Patel,');
  const pdf = await audit.export('PDF', '/tmp/audit-log.pdf');
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await audit.filterAction('Exported');
  await expect(audit.events()).toHaveCount(2);
  await expect(audit.events().first()).toContainText('Audit log PDF, 1 event');

  // Someone with access to the disk turns the chart view into a harmless-looking sign-out.
  const seq = await audit.tamperWithStoredEvent('view', { action: 'sign-out' });
  await audit.verify();
  const alarm = page.getByRole('alert').filter({ hasText: 'Audit log tampering detected' });
  await expect(alarm).toContainText(`Event ${seq} was changed after it was written.`);
  // It names the chain: this computer's own, not one received through sync.
  await expect(alarm).toContainText(/This computer \(device [0-9a-f]{16}\)/);
  await page.screenshot({ path: '/tmp/audit-tampered.png', fullPage: true });
  // The reviewer is taken to the changed event: every filter cleared, the row marked in red.
  await alarm.getByRole('button', { name: 'Show in the log' }).click();
  const broken = audit.events().filter({ hasText: 'Chain broken here' });
  await expect(broken).toHaveCount(1);
  await expect(broken).toContainText(`This computer · ${seq}`);
  await expect(broken).toBeInViewport();
  await page.screenshot({ path: '/tmp/audit-broken-row.png' });
});

test('deleting the newest audit events and moving the head back is caught by the audit seal', async ({
  page,
}) => {
  const app = new AppPage(page);
  const audit = new AuditPage(page);
  await app.open();
  await app.createClinic();
  await audit.open();
  const shown = page.getByLabel('This computer’s audit seal');
  // the seal of the newest event: opening the log (itself recorded) is in it
  await expect(shown).toHaveText(/computer [0-9A-F]{8} · event \d+ · [0-9A-F]{4}-/);
  const count = Number(
    /^(\d+) events?$/.exec((await page.getByText(/^\d+ events?$/).textContent())!)![1],
  );
  await expect(shown).toContainText(`event ${count} ·`);
  const seal = (await shown.textContent())!;
  // The insider deletes the sealed event and the one before it, and moves the head back.
  const sealedSeq = Number(/event (\d+)/.exec(seal)![1]);
  await audit.trimEventsAfter(sealedSeq - 2);
  // The chain alone is a valid, shorter chain: it cannot know what came after its head.
  await audit.verify();
  await expect(page.getByRole('status').filter({ hasText: 'Audit chain intact' })).toBeVisible();
  await page.getByLabel('Seal to check').fill(seal.toLowerCase());
  await page.getByRole('button', { name: 'Check seal' }).click();
  const alarm = page.getByRole('alert').filter({ hasText: 'Seal does not match the log' });
  await expect(alarm).toContainText(
    `Events ${sealedSeq - 1} to ${sealedSeq} of computer ${/computer ([0-9A-F]{8})/.exec(seal)![1]} are missing`,
  );
  await app.expectAccessible('audit log with a seal check');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: '/tmp/i18-audit-seal.png' });
});

test('a backup restored into a new browser profile brings back the same clinic and patients', async ({
  page,
  browser,
}, testInfo) => {
  const app = new AppPage(page);
  const patients = new PatientsPage(page);
  const admin = new AuditPage(page);
  await app.open();
  await app.createClinic();
  await admin.addColleague(PRESCRIBER);
  await admin.switchUser(PRESCRIBER.username, PRESCRIBER.passphrase);
  await patients.addPatient(maya);
  // A signed note must come back exactly as signed.
  const notes = new NotesPage(page);
  await notes.start('Dosing session');
  await notes.addLine('calm, eyes closed, music on');
  await notes.sign(PRESCRIBER.passphrase);
  await expect(page.getByText('calm, eyes closed, music on')).toBeVisible();
  await app.nav('Patients').click();
  await patients.addPatient({ first: 'Jonas', last: 'Berg', dob: '1979-11-02' });
  await admin.switchUser(ADMIN.username, ADMIN.passphrase);
  const file = testInfo.outputPath('clinic.katbackup');
  await admin.saveBackup(BACKUP_PASSPHRASE, file);
  await page.mouse.move(0, 0);
  await app.expectAccessible('settings: storage and backup');
  await page.screenshot({ path: '/tmp/backup-settings.png', fullPage: true });

  // A new profile: its own IndexedDB, as on a replacement computer.
  const fresh = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const other = await fresh.newPage();
    const app2 = new AppPage(other);
    const restore = new AuditPage(other);
    await app2.open();
    await expect(other.getByRole('heading', { name: 'Restore from backup' })).toBeVisible();
    await app2.expectAccessible('first run with restore');
    await restore.restoreBackup(file, 'not the backup passphrase');
    await expect(
      other.getByRole('alert').filter({ hasText: 'Nothing was restored' }),
    ).toContainText('backup passphrase is not correct');
    await other.screenshot({ path: '/tmp/restore-refused.png', fullPage: true });
    await restore.restoreBackup(file, BACKUP_PASSPHRASE);
    await expect(other.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await app2.signIn(ADMIN.username, ADMIN.passphrase);
    await expect(other.getByRole('button', { name: 'Open chart: Okafor, Maya' })).toBeVisible();
    await expect(other.getByRole('button', { name: 'Open chart: Berg, Jonas' })).toBeVisible();
    // The audit chain came across intact, including the record that the backup was made.
    await new AuditPage(other).open();
    await new AuditPage(other).verify();
    await expect(other.getByRole('status').filter({ hasText: 'Audit chain intact' })).toBeVisible();
    // The prescriber finds the note they signed, signed, with what they charted.
    await new AuditPage(other).switchUser(PRESCRIBER.username, PRESCRIBER.passphrase);
    await other.getByRole('button', { name: 'Open chart: Okafor, Maya' }).click();
    await expect(other.getByText(`${PRESCRIBER.name}, `).first()).toBeVisible();
    await other
      .getByRole('link', { name: /^Note: / })
      .first()
      .click();
    await expect(other.getByText('calm, eyes closed, music on')).toBeVisible();
    await other.screenshot({ path: '/tmp/restored-signed-note.png', fullPage: true });
  } finally {
    await fresh.close();
  }
});

test('a newer version opened in another window: this one lets go and says why', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.createClinic();
  await expect(app.nav('Patients')).toBeVisible();
  // Another tab opens the store one version up (as a newer KAT Chart would), waiting on this one.
  const upgraded = page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const probe = indexedDB.open('kat-chart');
        probe.onsuccess = () => {
          const next = probe.result.version + 1;
          probe.result.close();
          const r = indexedDB.open('kat-chart', next);
          r.onsuccess = () => {
            r.result.close();
            resolve(next);
          };
          r.onerror = () => reject(r.error);
        };
      }),
  );
  const notice = page
    .getByRole('alert')
    .filter({ hasText: 'KAT Chart was updated in another window' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('everything saved is safe');
  expect(await upgraded).toBeGreaterThan(1);
  await page.screenshot({ path: '/tmp/upgraded-elsewhere.png' });
});
