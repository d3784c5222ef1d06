import { describe, expect, it } from 'vitest';
import type { Grant, SealedIdentity } from '../../shared/crypto/keyring';
import type { UserKeys } from './clinic-keys';
import { mergeUserRows } from './key-blobs';

const id = (publicKey: string): SealedIdentity => ({ publicKey, iv: 'iv', ct: 'ct' });
const grant = (version: number, note = ''): Grant => ({
  version,
  createdAt: '2026-11-22T00:00:00.000Z',
  reason: 'manual',
  epk: `epk${version}${note}`,
  iv: 'iv',
  ct: 'ct',
});
const row = (over: Partial<UserKeys>): UserKeys => ({
  userId: 'u1',
  username: 'dana',
  kdf: {
    alg: 'argon2id',
    memoryKiB: 65536,
    iterations: 3,
    parallelism: 1,
    salt: 'c2FsdHNhbHRzYWx0c2FsdA==',
  },
  wrapped: [{ keyVersion: 1, iv: 'iv', ct: 'ct' }],
  identity: id('P'),
  ...over,
});

describe('merging copies of a keyring row before the clinic has a membership chain', () => {
  it('a server copy never replaces the local row, whatever its changedAt; grants of the same identity pool', async () => {
    const local = row({ changedAt: '2026-11-01T00:00:00.000Z', grants: [grant(1), grant(3, 'L')] });
    const poisoned = row({
      changedAt: '9999-12-31T23:59:59.999Z',
      identity: id('SERVER'),
      kdf: { ...local.kdf, iterations: 1_000_000 },
      grants: [grant(99)],
    });
    const sameIdentity = row({ grants: [grant(2), grant(3, 'R')] });
    const merged = (await mergeUserRows(local, [poisoned, sameIdentity], undefined))!;
    expect(merged.identity!.publicKey).toBe('P');
    expect(merged.kdf).toEqual(local.kdf);
    expect(merged.changedAt).toBe(local.changedAt);
    expect(merged.grants!.map((g) => g.epk)).toEqual(['epk1', 'epk2', 'epk3L', 'epk3R']);
    expect(await mergeUserRows(undefined, [poisoned], undefined)).toBeUndefined();
  });

  it('junk grants cannot crowd out real ones: a few per version are kept, the local ones first', async () => {
    const local = row({ grants: [grant(2, 'real')] });
    const junk = row({ grants: Array.from({ length: 40 }, (_, i) => grant(2, `junk${i}`)) });
    const merged = (await mergeUserRows(local, [junk], undefined))!;
    const v2 = merged.grants!.filter((g) => g.version === 2);
    expect(v2.length).toBeLessThanOrEqual(4);
    expect(v2[0]!.epk).toBe('epk2real');
  });
});
