/**
 * A new computer joining the clinic opens the member's row fetched from the server
 * (sync/key-blobs.ts, fetchKeyring): with the passphrase alone before issue 18's second factor,
 * which a row sealed under passphrase + PRF security key never opens. kekForJoin asks for the
 * factor the row names, checks it, and leaves it good for the one sign-in that follows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WrongPassphraseError } from '../../shared/crypto/passphrase';
import { appCodeAt, newAppSecret } from '../../shared/crypto/app-code';
import { softwareAuthenticator } from '../../shared/crypto/webauthn.fixtures';
import { addPrfSecurityKey } from './second-factor.fixtures';
import { fromBase64 } from '../../shared/util/bytes';
import { type UserKeys, openHolder } from '../sync/clinic-keys';
import { signIn } from './auth';
import type { KatDatabase } from './database';
import {
  FactorNeededError,
  type FactorProof,
  kekForJoin,
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

async function clinic() {
  const c = await freshClinic();
  opened.push(c.db);
  const row = async () => (await c.db.keyring.get(c.session.user.id)) as UserKeys;
  return { ...c, row };
}

/** What the join screen does: try, get the prompt, and bring the key's answer to it. */
async function needed(row: UserKeys, passphrase: string) {
  const e = await kekForJoin(row, 'alex', passphrase, undefined, ORIGIN).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(FactorNeededError);
  return (e as FactorNeededError).prompt;
}

describe('joining a new computer with a second factor (issue 18 deliverable 5)', () => {
  it('a PRF security key: asked for after the passphrase, refused when another key answers, opens the keys with it', async () => {
    const c = await clinic();
    const { key } = await addPrfSecurityKey(c, ORIGIN);
    const row = await c.row();
    // A typo is told as a typo, before any key is asked for.
    await expect(
      kekForJoin(row, 'alex', 'river stones at dusk', undefined, ORIGIN),
    ).rejects.toBeInstanceOf(WrongPassphraseError);

    const answer = async (k: typeof key): Promise<FactorProof> => {
      const prompt = await needed(row, c.passphrase);
      if (prompt.kind !== 'security-key') throw new Error('a key was expected');
      expect(prompt.credentialId).toBe(
        row.factor?.kind === 'security-key' && row.factor.credentialId,
      );
      return {
        kind: 'security-key',
        assertion: await k.assert(prompt.challenge),
        prfOutput: await k.prf(fromBase64(prompt.prfSalt!)),
      };
    };
    const other = await softwareAuthenticator('localhost', ORIGIN);
    await expect(
      kekForJoin(row, 'alex', c.passphrase, await answer(other), ORIGIN),
    ).rejects.toThrow(/not the one you added in Settings.*Nothing was changed.*recovery key/);

    const proof = await answer(key);
    const kek = await kekForJoin(row, 'alex', c.passphrase, proof, ORIGIN);
    const { keyring } = await openHolder(row, kek, row.userId, new Date().toISOString());
    expect(keyring.activeVersion).toBe(1);
    // The same touch signs her in right after (one touch for the whole join), and only once.
    expect((await signIn(c.db, 'alex', c.passphrase, proof, ORIGIN)).user.username).toBe('alex');
    await expect(signIn(c.db, 'alex', c.passphrase, proof, ORIGIN)).rejects.toThrow(
      /second factor do not match/,
    );
  });

  it('a security key without PRF: its answer is checked in full, origin included', async () => {
    const c = await clinic();
    const key = await softwareAuthenticator('localhost', ORIGIN);
    await replaceOwnFactor(c.db, c.session, c.passphrase, {
      factor: securityKeyFactor({
        credentialId: key.credentialId,
        publicKeySpki: key.spki,
        rpId: 'localhost',
        label: 'Green key',
      }),
    });
    const row = await c.row();
    const prompt = await needed(row, c.passphrase);
    if (prompt.kind !== 'security-key') throw new Error('a key was expected');
    expect(prompt.prfSalt).toBeUndefined();
    const proof = { kind: 'security-key' as const, assertion: await key.assert(prompt.challenge) };
    await expect(
      kekForJoin(row, 'alex', c.passphrase, proof, 'https://evil.example'),
    ).rejects.toThrow(/not the one you added/);
    const again = await needed(row, c.passphrase);
    if (again.kind !== 'security-key') throw new Error('a key was expected');
    const good = { kind: 'security-key' as const, assertion: await key.assert(again.challenge) };
    await expect(kekForJoin(row, 'alex', c.passphrase, good, ORIGIN)).resolves.toBeDefined();
  });

  it('an authenticator app: the code is asked for and checked, and still good for the sign-in that follows', async () => {
    const c = await clinic();
    const secret = newAppSecret();
    await replaceOwnFactor(c.db, c.session, c.passphrase, {
      appSecret: secret,
      code: appCodeAt(secret, Date.now()),
    });
    const row = await c.row();
    expect(await needed(row, c.passphrase)).toEqual({ kind: 'authenticator-app' });
    const code = appCodeAt(secret, Date.now());
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    await expect(
      kekForJoin(row, 'alex', c.passphrase, { kind: 'authenticator-app', code: wrong }, ORIGIN),
    ).rejects.toThrow(/does not match your authenticator app.*Nothing was changed/);
    const proof = { kind: 'authenticator-app' as const, code };
    await expect(kekForJoin(row, 'alex', c.passphrase, proof, ORIGIN)).resolves.toBeDefined();
    expect((await signIn(c.db, 'alex', c.passphrase, proof, ORIGIN)).user.username).toBe('alex');
  });

  it('a row without a factor opens with the passphrase, as before', async () => {
    const c = await clinic();
    const row = await c.row();
    const kek = await kekForJoin(row, 'alex', c.passphrase, undefined, ORIGIN);
    expect(
      (await openHolder(row, kek, row.userId, new Date().toISOString())).keyring.activeVersion,
    ).toBe(1);
  });
});
