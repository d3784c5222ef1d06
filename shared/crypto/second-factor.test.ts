import { describe, expect, it } from 'vitest';
import { TamperedError, open, seal } from './envelope';
import { derivePassphraseBits, newKdfParams } from './passphrase';
import {
  SecondFactor,
  kekWithPrf,
  passphraseCheckHolds,
  sealPassphraseCheck,
} from './second-factor';
import { assertionProblem, derToP1363 } from './webauthn-assertion';
import { p1363ToDer, softwareAuthenticator } from './webauthn.fixtures';
import { importAesKey } from './envelope';

const RP = 'localhost';
const ORIGIN = 'http://localhost:4179';

describe('a security key with PRF takes part in opening the keys', () => {
  it('the passphrase alone, or the key alone, opens nothing sealed under both', async () => {
    const kdf = newKdfParams();
    const bits = await derivePassphraseBits('river stones at dawn', kdf);
    const key = await softwareAuthenticator(RP, ORIGIN);
    const salt = crypto.getRandomValues(new Uint8Array(32));
    const prf = await key.prf(salt);
    const both = await kekWithPrf(bits, prf, 'user-1', key.credentialIdText);
    const sealed = await seal(both, new Uint8Array([1, 2, 3]), 'kat:test');

    // The same passphrase and the same key's answer open it again.
    const again = await kekWithPrf(
      await derivePassphraseBits('river stones at dawn', kdf),
      await key.prf(salt),
      'user-1',
      key.credentialIdText,
    );
    expect([...(await open(again, sealed, 'kat:test'))]).toEqual([1, 2, 3]);

    // Passphrase only (what an older build, or an attacker with the passphrase, would try).
    await expect(open(await importAesKey(bits), sealed, 'kat:test')).rejects.toThrow(TamperedError);
    // Another key's answer, or the key's answer over another salt.
    const other = await softwareAuthenticator(RP, ORIGIN);
    for (const wrongPrf of [await other.prf(salt), await key.prf(new Uint8Array(32))])
      await expect(
        open(await kekWithPrf(bits, wrongPrf, 'user-1', key.credentialIdText), sealed, 'kat:test'),
      ).rejects.toThrow(TamperedError);
    // The right key's answer with a wrong passphrase; or bound to another member.
    const wrongBits = await derivePassphraseBits('river stones at dusk', kdf);
    await expect(
      open(await kekWithPrf(wrongBits, prf, 'user-1', key.credentialIdText), sealed, 'kat:test'),
    ).rejects.toThrow(TamperedError);
    await expect(
      open(await kekWithPrf(bits, prf, 'user-2', key.credentialIdText), sealed, 'kat:test'),
    ).rejects.toThrow(TamperedError);
    await expect(kekWithPrf(bits, prf.subarray(0, 16), 'user-1', 'x')).rejects.toThrow();
  });

  it('the passphrase check proves the passphrase and nothing else', async () => {
    const kdf = newKdfParams();
    const right = await importAesKey(await derivePassphraseBits('river stones at dawn', kdf));
    const wrong = await importAesKey(await derivePassphraseBits('river stones at dusk', kdf));
    const check = await sealPassphraseCheck(right, 'user-1');
    expect(await passphraseCheckHolds(check, right, 'user-1')).toBe(true);
    expect(await passphraseCheckHolds(check, wrong, 'user-1')).toBe(false);
    expect(await passphraseCheckHolds(check, right, 'user-2')).toBe(false);
  });

  it('a factor record from elsewhere is parsed, and one with junk fields refused', () => {
    const ok = SecondFactor.safeParse({
      kind: 'security-key',
      credentialId: 'AAAAAAAAAAAAAAAAAAAAAA',
      publicKey: 'MFkwEwYHKoZIzj0CAQYI',
      rpId: 'localhost',
      label: 'Blue key',
      addedAt: '2026-12-07T12:00:00.000Z',
    });
    expect(ok.success).toBe(true);
    expect(SecondFactor.safeParse({ kind: 'password', secret: 'x' }).success).toBe(false);
  });
});

describe('a security key’s sign-in answer is checked (WebAuthn §7.2)', () => {
  it('holds for the enrolled key, our challenge, origin and relying party; nothing else', async () => {
    const key = await softwareAuthenticator(RP, ORIGIN);
    const challenge = crypto.getRandomValues(new Uint8Array(32));
    const want = { publicKeySpki: key.publicKey, rpId: RP, origin: ORIGIN, challenge };
    expect(await assertionProblem(await key.assert(challenge), want)).toBeNull();

    const other = await softwareAuthenticator(RP, ORIGIN);
    expect(await assertionProblem(await other.assert(challenge), want)).toMatch(/another key/);
    expect(
      await assertionProblem(await key.assert(crypto.getRandomValues(new Uint8Array(32))), want),
    ).toMatch(/challenge/);
    expect(
      await assertionProblem(await key.assert(challenge, { origin: 'https://evil.example' }), want),
    ).toMatch(/origin/);
    expect(
      await assertionProblem(await key.assert(challenge, { type: 'webauthn.create' }), want),
    ).toMatch(/not a sign-in/);
    expect(
      await assertionProblem(await key.assert(challenge, { userPresent: false }), want),
    ).toMatch(/touched/);
    const elsewhere = await softwareAuthenticator('evil.example', ORIGIN);
    expect(
      await assertionProblem(await elsewhere.assert(challenge), {
        ...want,
        publicKeySpki: elsewhere.publicKey,
      }),
    ).toMatch(/relying party/);
    // A changed byte in what was signed.
    const a = await key.assert(challenge);
    a.authenticatorData[36] = a.authenticatorData[36]! ^ 1;
    expect(await assertionProblem(a, want)).toMatch(/another key/);
    expect(await assertionProblem({ ...a, clientDataJSON: new Uint8Array([1]) }, want)).toMatch(
      /could not be read/,
    );
  });

  it('DER signatures with and without leading zeros come back as 64 bytes', () => {
    for (const sig of [
      new Uint8Array(64).fill(0x7f),
      new Uint8Array(64).fill(0x80),
      Uint8Array.from({ length: 64 }, (_, i) => (i < 3 || (i >= 32 && i < 34) ? 0 : i)),
    ])
      expect([...derToP1363(p1363ToDer(sig))]).toEqual([...sig]);
    expect(() => derToP1363(new Uint8Array([0x31, 0]))).toThrow(/not in a form/);
  });
});
