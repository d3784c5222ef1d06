import { afterEach, describe, expect, it } from 'vitest';
import { WrongPassphraseError, deriveKek } from '../../shared/crypto/passphrase';
import { softwareAuthenticator } from '../../shared/crypto/webauthn.fixtures';
import { appCodeAt, appCodeSetup, newAppSecret } from '../../shared/crypto/app-code';
import { memberKeysOf } from '../../shared/crypto/keyring';
import { rowSignatureHolds } from '../../shared/trust/rows';
import { fromBase64 } from '../../shared/util/bytes';
import { type UserKeys, openHolder } from '../sync/clinic-keys';
import { failuresKey, signIn, verifyPassphrase } from './auth';
import type { KatDatabase } from './database';
import {
  type FactorPrompt,
  factorPromptFor,
  replaceOwnFactor,
  securityKeyFactor,
} from './second-factor';
import { freshClinic } from './test-support';

const ORIGIN = 'http://localhost:4179';
let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

async function clinicWithKey(withPrf: boolean) {
  const c = await freshClinic();
  opened.push(c.db);
  const key = await softwareAuthenticator('localhost', ORIGIN);
  const prfSalt = crypto.getRandomValues(new Uint8Array(32));
  const factor = securityKeyFactor({
    credentialId: key.credentialId,
    publicKeySpki: key.spki,
    rpId: 'localhost',
    prfSalt: withPrf ? prfSalt : undefined,
    label: 'Blue key',
  });
  await replaceOwnFactor(c.db, c.session, c.passphrase, {
    factor,
    prfOutput: withPrf ? await key.prf(prfSalt) : undefined,
  });
  /** What the sign-in screen does: ask for the prompt, then the key. */
  const touch = async (k = key) => {
    const prompt = (await factorPromptFor(c.db, 'alex')) as Extract<
      FactorPrompt,
      { kind: 'security-key' }
    >;
    const prfOutput = prompt.prfSalt ? await k.prf(fromBase64(prompt.prfSalt)) : undefined;
    return {
      kind: 'security-key' as const,
      assertion: await k.assert(prompt.challenge),
      prfOutput,
    };
  };
  const row = async () => (await c.db.keyring.get(c.session.user.id)) as UserKeys;
  const failures = async () =>
    (await c.db.audit.toArray()).filter((e) => e.action === 'sign-in-failed').length;
  return { ...c, key, touch, row, failures };
}

describe('a security key with PRF (issue 18 deliverable 5)', () => {
  it('signs in only with passphrase and key together; the passphrase alone opens nothing', async () => {
    const c = await clinicWithKey(true);
    expect((await c.row()).factor).toMatchObject({ kind: 'security-key', label: 'Blue key' });

    await expect(signIn(c.db, 'alex', c.passphrase, undefined, ORIGIN)).rejects.toThrow(
      /passphrase and second factor do not match/,
    );
    const other = await softwareAuthenticator('localhost', ORIGIN);
    await expect(signIn(c.db, 'alex', c.passphrase, await c.touch(other), ORIGIN)).rejects.toThrow(
      /second factor do not match/,
    );
    // A wrong passphrase with the right key gets the same words: a try never tells which was right.
    await expect(
      signIn(c.db, 'alex', 'river stones at dusk', await c.touch(), ORIGIN),
    ).rejects.toThrow(/passphrase and second factor do not match/);
    expect(await c.failures()).toBe(3);
    // Wrong second factors count towards the per-user wait like wrong passphrases.
    await expect(signIn(c.db, 'alex', c.passphrase, await c.touch(), ORIGIN)).rejects.toThrow(
      /Too many wrong tries/,
    );
    await c.db.meta.delete(failuresKey('alex'));

    const session = await signIn(c.db, 'alex', c.passphrase, await c.touch(), ORIGIN);
    expect(session.user.username).toBe('alex');

    // Someone with the disk and the passphrase: the wraps and the identity do not open.
    const row = await c.row();
    await expect(
      openHolder(row, await deriveKek(c.passphrase, row.kdf), row.userId, new Date().toISOString()),
    ).rejects.toThrow(WrongPassphraseError);
    // Re-confirming the passphrase (before signing a note) still works, and tells wrong from right.
    expect(await verifyPassphrase(c.db, row.userId, c.passphrase)).toBe(true);
    expect(await verifyPassphrase(c.db, row.userId, 'river stones at dusk')).toBe(false);
  });

  it('the factor is inside the member’s row signature: a server that strips it is caught', async () => {
    const c = await clinicWithKey(true);
    const row = await c.row();
    const signingKey = memberKeysOf(row.identity)!.signingKey;
    expect(await rowSignatureHolds(row, row.rowSig, signingKey)).toBe(true);
    const { factor: _dropped, ...stripped } = row;
    expect(await rowSignatureHolds(stripped, row.rowSig, signingKey)).toBe(false);
  });

  it('removing the factor goes back to the passphrase alone', async () => {
    const c = await clinicWithKey(true);
    await replaceOwnFactor(c.db, c.session, c.passphrase, undefined);
    expect((await c.row()).factor).toBeUndefined();
    const session = await signIn(c.db, 'alex', c.passphrase, undefined, ORIGIN);
    expect(session.user.username).toBe('alex');
  });

  it('a wrong passphrase changes nothing when adding or removing', async () => {
    const c = await clinicWithKey(true);
    const before = await c.row();
    await expect(
      replaceOwnFactor(c.db, c.session, 'river stones at dusk', undefined),
    ).rejects.toThrow(/not correct/);
    expect(await c.row()).toEqual(before);
  });
});

describe('a security key without PRF is a check at the sign-in screen', () => {
  it('is asked for and checked, but the passphrase alone still opens the keys', async () => {
    const c = await clinicWithKey(false);
    expect((await c.row()).factor).not.toHaveProperty('prfSalt');
    await expect(signIn(c.db, 'alex', c.passphrase, undefined, ORIGIN)).rejects.toThrow(
      /second factor do not match/,
    );
    const other = await softwareAuthenticator('localhost', ORIGIN);
    await expect(signIn(c.db, 'alex', c.passphrase, await c.touch(other), ORIGIN)).rejects.toThrow(
      /second factor do not match/,
    );
    // An answer made for another site is refused.
    const proof = await c.touch();
    await expect(signIn(c.db, 'alex', c.passphrase, proof, 'https://evil.example')).rejects.toThrow(
      /second factor do not match/,
    );
    await c.db.meta.delete(failuresKey('alex'));
    // A challenge is good once.
    const once = await c.touch();
    expect((await signIn(c.db, 'alex', c.passphrase, once, ORIGIN)).user.username).toBe('alex');
    await expect(signIn(c.db, 'alex', c.passphrase, once, ORIGIN)).rejects.toThrow(
      /second factor do not match/,
    );
    // What README says plainly: with the disk and the passphrase, the keys open without the key.
    const row = await c.row();
    const { keyring } = await openHolder(
      row,
      await deriveKek(c.passphrase, row.kdf),
      row.userId,
      new Date().toISOString(),
    );
    expect(keyring.activeVersion).toBe(1);
  });
});

describe('an authenticator app (TOTP) is a check at the sign-in screen', () => {
  it('needs a right code at enrolment and at sign-in, and takes each code once', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const secret = newAppSecret();
    const now = Date.now();
    await expect(
      replaceOwnFactor(c.db, c.session, c.passphrase, { appSecret: secret, code: '000000' }),
    ).rejects.toThrow(/does not match the app/);
    expect(await c.db.keyring.get(c.session.user.id)).not.toHaveProperty('factor');
    await replaceOwnFactor(c.db, c.session, c.passphrase, {
      appSecret: secret,
      code: appCodeAt(secret, now),
    });
    const row = (await c.db.keyring.get(c.session.user.id)) as UserKeys;
    expect(row.factor).toMatchObject({ kind: 'authenticator-app' });
    // The secret is sealed: it is not on disk in the clear.
    expect(JSON.stringify(row)).not.toContain(appCodeSetup(secret, 'alex', 'x').typed.slice(0, 8));
    expect(await factorPromptFor(c.db, 'alex')).toEqual({ kind: 'authenticator-app' });

    const app = (code: string) => ({ kind: 'authenticator-app' as const, code });
    await expect(signIn(c.db, 'alex', c.passphrase, undefined, ORIGIN)).rejects.toThrow(
      /second factor do not match/,
    );
    const wrong = String((Number(appCodeAt(secret, now)) + 1) % 1_000_000).padStart(6, '0');
    await expect(signIn(c.db, 'alex', c.passphrase, app(wrong), ORIGIN)).rejects.toThrow(
      /second factor do not match/,
    );
    await c.db.meta.delete(failuresKey('alex'));
    const code = appCodeAt(secret, Date.now());
    expect((await signIn(c.db, 'alex', c.passphrase, app(code), ORIGIN)).user.username).toBe(
      'alex',
    );
    // Someone who watched the code typed is too late: it was taken.
    await expect(signIn(c.db, 'alex', c.passphrase, app(code), ORIGIN)).rejects.toThrow(
      /second factor do not match/,
    );
    // Plainly (README): with the disk and the passphrase the keys open without the phone.
    const { keyring } = await openHolder(
      row,
      await deriveKek(c.passphrase, row.kdf),
      row.userId,
      new Date().toISOString(),
    );
    expect(keyring.activeVersion).toBe(1);
  });
});
