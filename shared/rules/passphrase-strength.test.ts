import { describe, expect, it } from 'vitest';
import { assertStrongPassphrase, checkPassphraseStrength } from './passphrase-strength';

describe('passphrase strength (issue 13 point 7)', () => {
  it('refuses common and guessable passphrases of 10 characters or more, saying why', async () => {
    for (const weak of ['password123', 'qwertyuiop', '1234567890', 'abcdefghijk', 'iloveyou123']) {
      const verdict = await checkPassphraseStrength(weak);
      expect(verdict.ok, weak).toBe(false);
      if (!verdict.ok) expect(verdict.message).toMatch(/^This passphrase is too easy to guess\./);
    }
    const v = await checkPassphraseStrength('password123');
    expect(!v.ok && v.message).toContain('commonly used password');
  });

  it('counts the clinic’s and the person’s own names as guessable', async () => {
    expect((await checkPassphraseStrength('quillfeatherwyndmoor')).ok).toBe(true);
    expect(
      (
        await checkPassphraseStrength('quillfeatherwyndmoor', [
          'Wyndmoor Ketamine Clinic',
          'Theodora Quillfeather',
          'tquillfeather',
        ])
      ).ok,
    ).toBe(false);
  });

  it('takes a short sentence of ordinary words', async () => {
    for (const fine of [
      'paper lanterns float',
      'correct horse battery staple',
      'quiet forest path',
    ])
      expect((await checkPassphraseStrength(fine)).ok, fine).toBe(true);
    await expect(assertStrongPassphrase('qwertyuiop1')).rejects.toMatchObject({
      code: 'passphrase.weak',
    });
  });
});
