import { type CDPSession, type Page, expect, test } from '@playwright/test';
import { ADMIN, AppPage, signInWhenShown } from './pages/app-page';
import { AuditPage } from './pages/audit-page';
import { Secret } from 'otpauth';
import { appCodeAt } from '../../shared/crypto/app-code';

// Argon2id at every sign-in, and each security-key step: give the machine time.
test.describe.configure({ timeout: 240_000 });
const slow = { timeout: 60_000 };

/**
 * WebAuthn needs a named host: the app is opened as localhost here (127.0.0.1 is no valid relying
 * party). Same server, another origin, so its own empty IndexedDB.
 */
const port = Number(process.env.E2E_PORT ?? 4179);
const APP = `http://localhost:${port}/`;

/** Chromium's virtual authenticator (CDP WebAuthn domain): a USB security key with PRF. */
async function plugInSecurityKey(page: Page) {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'usb',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      hasPrf: true,
    },
  });
  return {
    unplug: () => cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId }),
    credentials: async () =>
      (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  };
}

test('an administrator adds a security key; sign-in then needs passphrase and key, and is refused without the key', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const key = await plugInSecurityKey(page);
  const app = new AppPage(page);
  await page.goto(APP);
  await app.createClinic();

  // The clinic's recovery key first: it is the way back when a key is lost.
  await app.nav('Settings').click();
  await page.getByRole('tab', { name: 'Clinic server' }).click();
  await page.getByRole('button', { name: 'Create recovery key' }).click();
  const shown = page.getByLabel('New recovery key');
  await expect(shown).toHaveText(/^([0-9A-Z]{4}-){8}[0-9A-Z]{4}$/, slow);
  const recoveryKey = (await shown.textContent())!.trim();
  await page.getByRole('button', { name: 'Done, hide the key' }).click();

  await app.nav('Settings').click();
  await page.getByRole('tab', { name: 'Sign-in security' }).click();
  await expect(page.getByText('No second factor yet')).toBeVisible();
  await app.expectAccessible('Sign-in security, no key yet');
  await page.getByLabel('Name of the key').fill('Blue key');
  await page.getByLabel('Your passphrase').fill('not my passphrase');
  await page.getByRole('button', { name: 'Add security key' }).click();
  await expect(page.getByRole('alert')).toContainText('That passphrase is not correct', slow);
  expect(await key.credentials()).toHaveLength(0);

  await page.getByLabel('Your passphrase').fill(ADMIN.passphrase);
  await page.getByRole('button', { name: 'Add security key' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Security key added' })).toContainText(
    'From now on, sign in with your passphrase and this key',
    slow,
  );
  await expect(page.getByTestId('own-factor')).toContainText('Security key “Blue key”');
  await expect(page.getByTestId('own-factor')).toContainText(
    'your passphrase alone no longer opens them',
  );
  expect(await key.credentials()).toHaveLength(1);
  await app.expectAccessible('Sign-in security, key added');
  await page.screenshot({ path: 'test-results/second-factor-settings.png' });

  // Sign out, and back in with passphrase and key.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInWhenShown(page, ADMIN.username, ADMIN.passphrase);
  // Signed in again, where they left off.
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible(slow);

  // Lock and unlock: the key is asked for again.
  await app.lock();
  await app.unlock(ADMIN.passphrase);
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible(slow);

  // Without the key, the passphrase alone does not sign in: the key was lost, another one is
  // plugged in instead.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await key.unplug();
  const otherKey = await plugInSecurityKey(page);
  await signInWhenShown(page, ADMIN.username, ADMIN.passphrase);
  await expect(page.getByRole('alert')).toContainText('The security key was not used', {
    timeout: 90_000,
  });
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  await app.expectAccessible('Sign-in, security key not used');
  await page.screenshot({ path: 'test-results/second-factor-refused.png' });
  expect(await otherKey.credentials()).toHaveLength(0);

  // The way back: the clinic recovery key resets the passphrase and takes the lost key off.
  const NEW_PASSPHRASE = 'lantern by the north gate';
  await page.getByRole('button', { name: 'Forgot passphrase?' }).click();
  const form = page.getByRole('form', { name: 'Reset a forgotten passphrase' });
  await expect(form).toContainText('Lost your security key? This is the way back too');
  await form.getByLabel('User name').fill(ADMIN.username);
  await form.getByLabel('Recovery key').fill(recoveryKey);
  await form.getByLabel('New passphrase', { exact: true }).fill(NEW_PASSPHRASE);
  await form.getByLabel('Repeat new passphrase').fill(NEW_PASSPHRASE);
  await form.getByRole('button', { name: 'Set new passphrase and sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible(slow);
  await app.nav('Settings').click();
  await page.getByRole('tab', { name: 'Sign-in security' }).click();
  await expect(page.getByText('No second factor yet')).toBeVisible();

  // No key at hand now: an authenticator app instead.
  await page.getByRole('button', { name: 'Use an authenticator app instead' }).click();
  const setup = page.getByRole('region', { name: 'Set up an authenticator app' });
  await expect(
    setup.getByRole('img', { name: 'QR code for your authenticator app' }),
  ).toBeVisible();
  const typed = (await setup.getByLabel('Key for the authenticator app').textContent())!;
  const secret = new Uint8Array(Secret.fromBase32(typed.replace(/\s/g, '')).buffer);
  await app.expectAccessible('Set up an authenticator app');
  await page.screenshot({ path: 'test-results/second-factor-app-setup.png' });
  await setup
    .getByLabel('Code from the app')
    .fill('123456' === appCodeAt(secret, Date.now()) ? '654321' : '123456');
  await setup.getByLabel('Your passphrase').fill(NEW_PASSPHRASE);
  await setup.getByRole('button', { name: 'Turn on app codes' }).click();
  await expect(setup.getByRole('alert')).toContainText('That code does not match the app', slow);
  await setup.getByLabel('Code from the app').fill(appCodeAt(secret, Date.now()));
  await setup.getByRole('button', { name: 'Turn on app codes' }).click();
  await expect(page.getByTestId('own-factor')).toContainText('An authenticator app', slow);
  await expect(page.getByRole('status').filter({ hasText: 'App codes are on' })).toBeVisible();

  // Sign out; sign-in now asks for the app's code after the passphrase.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInWhenShown(page, ADMIN.username, NEW_PASSPHRASE);
  const codeField = page.getByLabel('Code from your authenticator app');
  await expect(codeField).toBeVisible(slow);
  await app.expectAccessible('Sign-in, app code');
  await page.screenshot({ path: 'test-results/second-factor-app-sign-in.png' });
  await codeField.fill(appCodeAt(secret, Date.now()));
  await page.getByLabel('Passphrase', { exact: true }).fill(NEW_PASSPHRASE);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible(slow);

  // The refused try is in the audit log.
  const audit = new AuditPage(page);
  await audit.open();
  await expect(audit.events().filter({ hasText: 'Failed sign-in' }).first()).toBeVisible();
  await audit.filterAction('Second factor changed');
  await expect(audit.events()).toHaveCount(2);
  await expect(audit.events().nth(0)).toContainText('Authenticator app added');
  await expect(audit.events().nth(1)).toContainText('Security key added (opens keys)');
});

test('the clinic requires a second factor of therapists: a therapist without one is led to add it at sign-in', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await plugInSecurityKey(page);
  const app = new AppPage(page);
  await page.goto(APP);
  await app.createClinic();
  const DANA = { name: 'Dana Reyes', username: 'dana', passphrase: 'quiet harbor lights' };
  await app.addUser({ ...DANA, roles: ['Therapist'] });

  await page.getByRole('tab', { name: 'Sign-in security' }).click();
  const rule = page.getByTestId('second-factor-rule');
  await expect(rule).toHaveText('A second factor is optional: each person decides.');
  await page.getByRole('radio', { name: 'Required for the roles chosen below' }).check();
  await page.getByRole('button', { name: 'Save the rule' }).click();
  await expect(page.getByRole('alert', { name: 'The rule was not saved' })).toContainText(
    'Choose at least one role',
  );
  await page.getByRole('checkbox', { name: 'Therapist' }).check();
  await page.getByRole('button', { name: 'Save the rule' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Clinic rule saved.' })).toBeVisible(
    slow,
  );
  await expect(rule).toHaveText(
    'A second factor is required for: Therapist. Everyone else may add one.',
  );
  await app.expectAccessible('Sign-in security, clinic rule');
  await page.screenshot({ path: 'test-results/second-factor-rule.png' });

  // Dana signs in: before anything else, she is asked to add a second factor.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInWhenShown(page, DANA.username, DANA.passphrase);
  await expect(page.getByRole('heading', { name: 'Add a second factor to continue' })).toBeVisible(
    slow,
  );
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  await expect(page.getByRole('main')).toContainText('required for: Therapist');
  await app.expectAccessible('Add a second factor to continue');
  await page.screenshot({ path: 'test-results/second-factor-required.png' });
  await page.getByLabel('Name of the key').fill('Dana’s key');
  await page.getByLabel('Your passphrase').fill(DANA.passphrase);
  await page.getByRole('button', { name: 'Add security key' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible(slow);

  // From now on her key is part of every sign-in.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInWhenShown(page, DANA.username, DANA.passphrase);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible(slow);
  await app.nav('Settings').click();
  await page.getByRole('tab', { name: 'Sign-in security' }).click();
  await expect(page.getByTestId('own-factor')).toContainText('Security key “Dana’s key”');
  // A therapist sees the rule but cannot change it.
  await expect(page.getByTestId('second-factor-rule')).toContainText('required for: Therapist');
  await expect(page.getByRole('button', { name: 'Save the rule' })).toHaveCount(0);
});
