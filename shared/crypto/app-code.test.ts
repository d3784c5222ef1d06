import { describe, expect, it } from 'vitest';
import { utf8 } from '../util/bytes';
import { appCodeAt, appCodeSetup, appCodeStep, openAppSecret, sealAppSecret } from './app-code';
import { generateDataKey } from './envelope';

// RFC 6238 Appendix B: the SHA-1 seed "12345678901234567890"; at T = 59 s the 8-digit code is
// 94287082, so the 6-digit code is its last six digits (RFC 4226 §5.3 truncation).
const RFC_SEED = utf8('12345678901234567890');

describe('authenticator-app codes (RFC 6238)', () => {
  it('match the RFC test vectors', () => {
    expect(appCodeAt(RFC_SEED, 59_000)).toBe('287082');
    expect(appCodeAt(RFC_SEED, 1_111_111_109_000)).toBe('081804');
    expect(appCodeAt(RFC_SEED, 2_000_000_000_000)).toBe('279037');
  });

  it('take a code from now or one step either side, and nothing further', () => {
    const now = 1_765_000_000_000;
    const step = Math.floor(now / 30_000);
    expect(appCodeStep(RFC_SEED, appCodeAt(RFC_SEED, now), now)).toBe(step);
    expect(appCodeStep(RFC_SEED, appCodeAt(RFC_SEED, now - 30_000), now)).toBe(step - 1);
    expect(appCodeStep(RFC_SEED, appCodeAt(RFC_SEED, now + 30_000), now)).toBe(step + 1);
    expect(appCodeStep(RFC_SEED, appCodeAt(RFC_SEED, now - 90_000), now)).toBeNull();
    const spaced = appCodeAt(RFC_SEED, now).replace(/^(\d{3})/, '$1 ');
    expect(appCodeStep(RFC_SEED, spaced, now)).toBe(step);
    expect(appCodeStep(RFC_SEED, 'abcdef', now)).toBeNull();
    expect(appCodeStep(RFC_SEED, '12345', now)).toBeNull();
  });

  it('give apps an otpauth:// address and the secret in letters to type', () => {
    const { uri, typed } = appCodeSetup(RFC_SEED, 'riley', 'KAT Chart');
    expect(uri).toMatch(/^otpauth:\/\/totp\/KAT%20Chart:riley\?/);
    expect(uri).toContain('secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(uri).toContain('digits=6');
    expect(uri).toContain('period=30');
    expect(typed).toBe('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
  });

  it('the sealed secret opens only under the member’s key', async () => {
    const kek = await generateDataKey(false);
    const sealed = await sealAppSecret(RFC_SEED, kek, 'user-1');
    expect([...(await openAppSecret(sealed, kek, 'user-1'))!]).toEqual([...RFC_SEED]);
    expect(await openAppSecret(sealed, kek, 'user-2')).toBeUndefined();
    expect(await openAppSecret(sealed, await generateDataKey(false), 'user-1')).toBeUndefined();
  });
});
