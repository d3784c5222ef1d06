import { describe, expect, it } from 'vitest';
import { generateDataKey } from '../../shared/crypto/envelope';
import { ClinicKeyring } from '../../shared/crypto/keyring';
import { HybridClock } from '../../shared/sync/hlc';
import { type Session, followNewestVersion } from './session';

const info = (version: number) => ({
  version,
  createdAt: '2026-11-22T00:00:00Z',
  reason: 'manual' as const,
});

describe('a session follows the newest clinic key version it holds', () => {
  it('moves to a newer version as it is added, and never back to an older one', async () => {
    const ring = new ClinicKeyring();
    const [k1, k2, k3] = await Promise.all([
      generateDataKey(),
      generateDataKey(),
      generateDataKey(),
    ]);
    ring.add(k2, info(2));
    const session: Session = {
      clinicId: 'c',
      deviceId: 'd',
      user: {} as Session['user'],
      dataKey: k1,
      keyVersion: 1,
      clock: new HybridClock('d'),
      keyring: ring,
    };
    const stop = followNewestVersion(session);
    expect(session.keyVersion).toBe(2);
    ring.add(k1, info(1)); // an older version reaching us later (a late grant)
    expect([session.keyVersion, session.dataKey]).toEqual([2, k2]);
    ring.add(k3, info(3));
    expect([session.keyVersion, session.dataKey]).toEqual([3, k3]);
    stop();
    ring.add(await generateDataKey(), info(4));
    expect(session.keyVersion).toBe(3);
  });
});
