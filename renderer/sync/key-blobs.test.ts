import { describe, expect, it } from 'vitest';
import type { Grant, SealedIdentity } from '../../shared/crypto/keyring';
import { mergeHolders } from './key-blobs';

type Holder = { identity?: SealedIdentity; grants?: Grant[]; changedAt?: string; tag: string };
const id = (publicKey: string): SealedIdentity => ({ publicKey, iv: 'iv', ct: 'ct' });
const grant = (version: number, note = ''): Grant => ({
  version,
  createdAt: '2026-11-22T00:00:00.000Z',
  reason: 'manual',
  epk: `epk${version}${note}`,
  iv: 'iv',
  ct: 'ct',
});
const newer = (a: Holder, b: Holder) => (a.changedAt ?? '') > (b.changedAt ?? '');

describe('merging two copies of one key holder', () => {
  it('pools grants for the same identity, keeping the first of each version, in order', () => {
    const local: Holder = { tag: 'local', identity: id('P'), grants: [grant(1), grant(3, 'L')] };
    const remote: Holder = { tag: 'remote', identity: id('P'), grants: [grant(2), grant(3, 'R')] };
    const merged = mergeHolders(local, remote, newer);
    expect(merged.tag).toBe('local');
    expect(merged.grants!.map((g) => g.epk)).toEqual(['epk1', 'epk2', 'epk3L']);
  });

  it('a newer passphrase (new identity) wins whole: grants to the old identity are dropped', () => {
    const old: Holder = {
      tag: 'old',
      changedAt: '2026-11-01T00:00:00.000Z',
      identity: id('OLD'),
      grants: [grant(1), grant(2)],
    };
    const reset: Holder = {
      tag: 'reset',
      changedAt: '2026-11-20T00:00:00.000Z',
      identity: id('NEW'),
      grants: [grant(1, 'n')],
    };
    for (const merged of [mergeHolders(old, reset, newer), mergeHolders(reset, old, newer)]) {
      expect(merged.tag).toBe('reset');
      expect(merged.grants!.map((g) => g.epk)).toEqual(['epk1n']);
    }
  });
});
