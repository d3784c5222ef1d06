/**
 * Group commit of pushes on PostgreSQL: concurrent pushes share transactions, yet each is answered
 * only after its own transaction committed, and a failed commit stores none of its pushes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/util/ids';
import { bytesOf, newDevice, postgresFixture } from '../../tests/server/helpers';
import type { BundleToStore, Store } from './store';

describe('PostgreSQL push batching', () => {
  let commits = 0;
  let failNext = false;
  const fixture = postgresFixture({
    beforeCommit: async () => {
      commits += 1;
      if (failNext) {
        failNext = false;
        throw new Error('disk full (injected)');
      }
    },
  });
  let store: Store;
  let clinicId: string;
  let deviceId: string;
  const bundle = (over: Partial<BundleToStore> = {}): BundleToStore => ({
    clinicId,
    bundleId: uuidv7(),
    deviceId,
    keyVersion: 1,
    protocol: 1,
    bytes: bytesOf(64, 3),
    ...over,
  });

  beforeEach(async () => {
    commits = 0;
    failNext = false;
    store = await fixture.open();
    clinicId = uuidv7();
    const admin = newDevice(clinicId, { admin: true });
    deviceId = admin.deviceId;
    await store.createClinic(clinicId, admin);
  });

  afterEach(async () => {
    await store.close();
    await fixture.cleanup();
  });

  it('commits concurrent pushes together with dense sequences', async () => {
    const results = await Promise.all(Array.from({ length: 60 }, () => store.putBundle(bundle())));
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThan(60);
    const page = await store.pullBundles(clinicId, 0, { maxCount: 100, maxBytes: 1 << 20 });
    expect(page.head).toBe(60);
    expect(page.bundles.map((b) => b.seq)).toEqual(results.map((r) => r.seq).sort((a, b) => a - b));
  });

  it('answers a repeated id within one batch with the first copy and its sender', async () => {
    const other = newDevice(clinicId);
    const first = bundle();
    const [a, b, c] = await Promise.all([
      store.putBundle(first),
      store.putBundle({ ...first, bytes: bytesOf(10, 9) }),
      store.putBundle({ ...first, deviceId: other.deviceId }),
    ]);
    expect(a).toEqual({ seq: 1, duplicate: false, storedBy: deviceId });
    expect(b).toEqual({ seq: 1, duplicate: true, storedBy: deviceId });
    expect(c).toEqual({ seq: 1, duplicate: true, storedBy: deviceId });
    const page = await store.pullBundles(clinicId, 0, { maxCount: 10, maxBytes: 1 << 20 });
    expect(page.bundles).toHaveLength(1);
    expect(page.bundles[0]!.bytes).toEqual(bytesOf(64, 3));
  });

  it('takes the careful path when a batch repeats an id stored before, keeping sequences dense', async () => {
    const old = bundle();
    await store.putBundle(old);
    const results = await Promise.all([
      store.putBundle(bundle()),
      store.putBundle(old),
      store.putBundle(bundle()),
      store.putBundle(bundle()),
    ]);
    expect(results[1]).toEqual({ seq: 1, duplicate: true, storedBy: deviceId });
    const fresh = results.filter((r) => !r.duplicate).map((r) => r.seq);
    expect(fresh.sort((a, b) => a - b)).toEqual([2, 3, 4]);
    const page = await store.pullBundles(clinicId, 0, { maxCount: 10, maxBytes: 1 << 20 });
    expect(page.bundles.map((b) => b.seq)).toEqual([1, 2, 3, 4]);
    expect(page.head).toBe(4);
  });

  it('fails every push of a batch whose commit fails, stores none of them, and moves on', async () => {
    await store.putBundle(bundle());
    failNext = true;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => store.putBundle(bundle())),
    );
    const failed = outcomes.filter((o) => o.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    const stored = outcomes.filter((o) => o.status === 'fulfilled');
    // The pushes that queued behind the failed batch went into the next one.
    const head = 1 + stored.length;
    const page = await store.pullBundles(clinicId, 0, { maxCount: 10, maxBytes: 1 << 20 });
    expect(page.head).toBe(head);
    expect(page.bundles.map((b) => b.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(await store.putBundle(bundle())).toMatchObject({ seq: head + 1, duplicate: false });
  });
});
