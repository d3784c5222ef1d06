/**
 * One contract for both stores: what the sync protocol relies on, run against the embedded journal
 * and a real PostgreSQL (DATABASE_URL, default the local trust-auth `test` database).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/util/ids';
import type { BundleToStore, Store } from '../../server/store/store';
import { type StoreFixture, bytesOf, embeddedFixture, newDevice, postgresFixture } from './helpers';

const fixtures: [string, () => StoreFixture][] = [
  ['embedded', embeddedFixture],
  ['postgres', () => postgresFixture()],
];

describe.each(fixtures)('store contract: %s', (_name, makeFixture) => {
  let fixture: StoreFixture;
  let store: Store;
  let clinicId: string;
  let admin: ReturnType<typeof newDevice>;

  beforeEach(async () => {
    fixture = makeFixture();
    store = await fixture.open();
    clinicId = uuidv7();
    admin = newDevice(clinicId, { admin: true });
    expect(await store.createClinic(clinicId, admin)).toBe('created');
  });

  afterEach(async () => {
    await store.close();
    await fixture.cleanup();
  });

  const bundle = (over: Partial<BundleToStore> = {}): BundleToStore => ({
    clinicId,
    bundleId: uuidv7(),
    deviceId: admin.deviceId,
    keyVersion: 1,
    protocol: 1,
    bytes: bytesOf(100),
    ...over,
  });

  const limits = { maxCount: 500, maxBytes: 1 << 24 };

  it('has a random epoch and a setup token that survive a restart', async () => {
    const id = await store.identity();
    expect(id.epoch).toMatch(/^[0-9a-f]{32}$/);
    expect(id.setupToken.length).toBeGreaterThanOrEqual(24);
    await store.close();
    store = await fixture.open();
    expect(await store.identity()).toEqual(id);
  });

  it('spends the setup token with exactly one of two concurrent registrations, until renewed', async () => {
    expect((await store.identity()).setupSpentAt).toBeNull();
    const [a, b] = [uuidv7(), uuidv7()];
    const spend = { spendSetupToken: true };
    const outcomes = await Promise.all([
      store.createClinic(a, newDevice(a, { admin: true }), spend),
      store.createClinic(b, newDevice(b, { admin: true }), spend),
    ]);
    // A copy sorted: `outcomes` stays in the order of [a, b], to tell which one lost.
    expect([...outcomes].sort()).toEqual(['created', 'setup-spent']);
    const spent = await store.identity();
    expect(spent.setupSpentAt).not.toBeNull();
    const loser = outcomes[0] === 'created' ? b : a;
    expect(await store.listDevices(loser)).toEqual([]);

    await store.close();
    store = await fixture.open();
    expect((await store.identity()).setupSpentAt).toBe(spent.setupSpentAt);
    const token = await store.renewSetupToken();
    expect(token).not.toBe(spent.setupToken);
    const renewed = await store.identity();
    expect(renewed).toMatchObject({ setupToken: token, setupSpentAt: null });
    expect(renewed.setupRenewedAt).not.toBeNull();
    expect(await store.createClinic(loser, newDevice(loser, { admin: true }), spend)).toBe(
      'created',
    );
  });

  it('starts a new epoch when the operator says the data was restored', async () => {
    const before = await store.identity();
    await store.close();
    store = await fixture.open({ restored: true });
    const after = await store.identity();
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.setupToken).toBe(before.setupToken);
  });

  it('registers a clinic once, with its first device', async () => {
    expect(await store.createClinic(clinicId, newDevice(clinicId))).toBe('exists');
    expect(await store.getDevice(admin.deviceId)).toEqual({ ...admin, revokedAt: null });
    expect(await store.listDevices(clinicId)).toEqual([{ ...admin, revokedAt: null }]);
    expect(await store.getDevice(uuidv7())).toBeUndefined();
  });

  it('an enrollment code works once, before it expires, for its own clinic', async () => {
    const now = new Date();
    const code = {
      codeHash: 'a'.repeat(64),
      clinicId,
      admin: false,
      createdBy: admin.deviceId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 15 * 60_000).toISOString(),
    };
    await store.createEnrollmentCode(code);
    const { clinicId: _c, admin: _a, enrolledBy: _e, ...laptop } = newDevice(clinicId);
    const redeemed = await store.redeemEnrollmentCode(code.codeHash, now.toISOString(), laptop);
    expect(redeemed).toEqual({
      ok: true,
      device: { ...laptop, clinicId, admin: false, enrolledBy: admin.deviceId, revokedAt: null },
    });
    expect((await store.getDevice(laptop.deviceId))?.clinicId).toBe(clinicId);
    const { clinicId: _c2, admin: _a2, enrolledBy: _e2, ...second } = newDevice(clinicId);
    expect(await store.redeemEnrollmentCode(code.codeHash, now.toISOString(), second)).toEqual({
      ok: false,
      reason: 'used',
    });
    expect(await store.getDevice(second.deviceId)).toBeUndefined();

    const late = { ...code, codeHash: 'b'.repeat(64), admin: true };
    await store.createEnrollmentCode(late);
    const after = new Date(now.getTime() + 15 * 60_000 + 1).toISOString();
    expect(await store.redeemEnrollmentCode(late.codeHash, after, second)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(await store.redeemEnrollmentCode('c'.repeat(64), after, second)).toEqual({
      ok: false,
      reason: 'unknown',
    });
    expect(await store.listDevices(clinicId)).toHaveLength(2);
  });

  it('a re-enrolled device names the device it replaces, only one of its own clinic', async () => {
    const now = new Date();
    const codeFor = async (hash: string, clinic: string, by: string) => {
      const code = {
        codeHash: hash,
        clinicId: clinic,
        admin: false,
        createdBy: by,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + 15 * 60_000).toISOString(),
      };
      await store.createEnrollmentCode(code);
      return code.codeHash;
    };
    const enroll = async (hash: string, clinic: string, replaces: string) => {
      const { clinicId: _c, admin: _a, enrolledBy: _e, ...d } = newDevice(clinic);
      const r = await store.redeemEnrollmentCode(hash, now.toISOString(), { ...d, replaces });
      if (!r.ok) throw new Error(r.reason);
      return store.getDevice(d.deviceId);
    };
    const other = uuidv7();
    const otherAdmin = newDevice(other, { admin: true });
    expect(await store.createClinic(other, otherAdmin)).toBe('created');

    const laptop = await enroll(
      await codeFor('d'.repeat(64), clinicId, admin.deviceId),
      clinicId,
      admin.deviceId,
    );
    expect(laptop?.replaces).toBe(admin.deviceId);
    expect(
      (await store.listDevices(clinicId)).find((d) => d.deviceId === laptop?.deviceId)?.replaces,
    ).toBe(admin.deviceId);
    // Another clinic's device is never named: the server would revoke it and list it as replaced.
    const foreign = await enroll(
      await codeFor('e'.repeat(64), other, otherAdmin.deviceId),
      other,
      admin.deviceId,
    );
    expect(foreign?.replaces ?? null).toBeNull();
  });

  it('revokes devices at once, idempotently, but never the last admin', async () => {
    const at = new Date().toISOString();
    expect(await store.revokeDevice(clinicId, admin.deviceId, at)).toEqual({
      ok: false,
      reason: 'last-admin',
    });
    const second = newDevice(clinicId, { admin: true });
    const other = uuidv7();
    await store.createClinic(other, newDevice(other, { admin: true }));
    expect(await store.revokeDevice(other, admin.deviceId, at)).toEqual({
      ok: false,
      reason: 'unknown',
    });
    // Second admin arrives through a code, as in the app.
    await store.createEnrollmentCode({
      codeHash: 'd'.repeat(64),
      clinicId,
      admin: true,
      createdBy: admin.deviceId,
      createdAt: at,
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    await store.redeemEnrollmentCode('d'.repeat(64), at, second);
    const revoked = await store.revokeDevice(clinicId, admin.deviceId, at);
    expect(revoked).toMatchObject({
      ok: true,
      device: { deviceId: admin.deviceId, revokedAt: at },
    });
    expect((await store.getDevice(admin.deviceId))?.revokedAt).toBe(at);
    const later = new Date(Date.now() + 5_000).toISOString();
    expect(await store.revokeDevice(clinicId, admin.deviceId, later)).toMatchObject({
      ok: true,
      device: { revokedAt: at },
    });
    expect(await store.revokeDevice(clinicId, second.deviceId, at)).toEqual({
      ok: false,
      reason: 'last-admin',
    });
  });

  it('stores a bundle id once and answers retries with the same sequence', async () => {
    const first = bundle();
    expect(await store.putBundle(first)).toEqual({
      seq: 1,
      duplicate: false,
      storedBy: admin.deviceId,
    });
    expect(await store.putBundle(bundle())).toMatchObject({ seq: 2, duplicate: false });
    expect(await store.putBundle({ ...first, bytes: bytesOf(50, 9) })).toEqual({
      seq: 1,
      duplicate: true,
      storedBy: admin.deviceId,
    });
    const page = await store.pullBundles(clinicId, 0, limits);
    expect(page.head).toBe(2);
    expect(page.bundles.map((b) => b.seq)).toEqual([1, 2]);
    expect(page.bundles[0]!.bytes).toEqual(bytesOf(100));
  });

  it('gives concurrent pushes dense sequences and stores concurrent retries once', async () => {
    const bundles = Array.from({ length: 120 }, () => bundle());
    const attempts = [...bundles, ...bundles.slice(0, 40), ...bundles.slice(0, 20)];
    const results = await Promise.all(attempts.map((b) => store.putBundle(b)));
    const fresh = results.filter((r) => !r.duplicate).map((r) => r.seq);
    expect(fresh.sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    const seqOf = new Map<string, number>();
    attempts.forEach((b, i) => {
      const seq = results[i]!.seq;
      expect(seqOf.get(b.bundleId) ?? seq).toBe(seq);
      seqOf.set(b.bundleId, seq);
    });
    const page = await store.pullBundles(clinicId, 0, limits);
    expect(page.bundles).toHaveLength(120);
    expect(page.head).toBe(120);
  });

  it('pages by count and bytes, and never withholds a bundle larger than the page', async () => {
    for (const size of [400, 400, 400, 5_000, 100])
      await store.putBundle(bundle({ bytes: bytesOf(size, size % 255) }));
    const seqs = async (after: number, maxCount: number, maxBytes: number) =>
      (await store.pullBundles(clinicId, after, { maxCount, maxBytes })).bundles.map((b) => b.seq);
    expect(await seqs(0, 2, 1 << 20)).toEqual([1, 2]);
    expect(await seqs(0, 10, 1_000)).toEqual([1, 2]);
    expect(await seqs(2, 10, 1_000)).toEqual([3]);
    expect(await seqs(3, 10, 1_000)).toEqual([4]);
    expect(await seqs(4, 10, 1_000)).toEqual([5]);
    expect(await seqs(5, 10, 1_000)).toEqual([]);
    const big = (await store.pullBundles(clinicId, 3, limits)).bundles[0]!;
    expect(big).toMatchObject({ seq: 4, size: 5_000, keyVersion: 1, protocol: 1 });
    expect(big.bytes).toEqual(bytesOf(5_000, 5_000 % 255));
  });

  it('keeps clinics apart: own sequences, own bundle ids, own devices', async () => {
    const other = uuidv7();
    const otherAdmin = newDevice(other, { admin: true });
    await store.createClinic(other, otherAdmin);
    const shared = bundle();
    await store.putBundle(shared);
    expect(
      await store.putBundle({ ...shared, clinicId: other, deviceId: otherAdmin.deviceId }),
    ).toMatchObject({ seq: 1, duplicate: false });
    await store.putBundle(bundle());
    expect((await store.pullBundles(other, 0, limits)).bundles).toHaveLength(1);
    expect((await store.pullBundles(other, 0, limits)).head).toBe(1);
    expect((await store.listDevices(other)).map((d) => d.deviceId)).toEqual([otherAdmin.deviceId]);
  });

  it('keeps wrapped-key blobs with optimistic revisions', async () => {
    const at = new Date().toISOString();
    const put = (blob: string, ifRevision?: number) =>
      store.putKeyBlob(clinicId, {
        userKey: 'user-1',
        blob,
        updatedAt: at,
        updatedBy: admin.deviceId,
        ifRevision,
      });
    expect(await put('v1', 0)).toMatchObject({ ok: true, record: { revision: 1, blob: 'v1' } });
    expect(await put('again', 0)).toEqual({ ok: false, reason: 'revision-mismatch', current: 1 });
    expect(await put('v2', 1)).toMatchObject({ ok: true, record: { revision: 2 } });
    expect(await put('stale', 1)).toEqual({ ok: false, reason: 'revision-mismatch', current: 2 });
    expect(await put('v3')).toMatchObject({ ok: true, record: { revision: 3 } });
    expect(await store.getKeyBlob(clinicId, 'user-1')).toEqual({
      userKey: 'user-1',
      blob: 'v3',
      revision: 3,
      updatedAt: at,
      updatedBy: admin.deviceId,
    });
    await store.putKeyBlob(clinicId, {
      userKey: 'recovery',
      blob: 'r',
      updatedAt: at,
      updatedBy: admin.deviceId,
    });
    expect((await store.listKeyBlobs(clinicId)).map((b) => b.userKey).sort()).toEqual([
      'recovery',
      'user-1',
    ]);
    expect(await store.listKeyBlobs(uuidv7())).toEqual([]);
    expect(await store.deleteKeyBlob(clinicId, 'user-1')).toBe(true);
    expect(await store.deleteKeyBlob(clinicId, 'user-1')).toBe(false);
    expect(await store.getKeyBlob(clinicId, 'user-1')).toBeUndefined();
  });

  it('counts clinics, devices, bundles and bytes for the metrics', async () => {
    const other = uuidv7();
    await store.createClinic(other, newDevice(other, { admin: true }));
    const second = newDevice(clinicId, { admin: true });
    const code = { codeHash: 'c'.repeat(64), clinicId, admin: true, createdBy: admin.deviceId };
    const at = new Date().toISOString();
    await store.createEnrollmentCode({ ...code, createdAt: at, expiresAt: '2999-01-01T00:00:00Z' });
    await store.redeemEnrollmentCode(code.codeHash, at, second);
    await store.revokeDevice(clinicId, second.deviceId, at);
    await store.putBundle(bundle({ bytes: bytesOf(100) }));
    await store.putBundle(bundle({ bytes: bytesOf(250) }));
    expect(await store.stats()).toEqual({
      clinics: 2,
      devicesActive: 2,
      devicesRevoked: 1,
      bundles: 2,
      bundleBytes: 350,
    });
  });

  it('appends membership statements only onto the expected length, concurrently once', async () => {
    expect(await store.readChain(clinicId, 0)).toEqual({ statements: [], length: 0 });
    expect(await store.appendChain(clinicId, 0, ['s0', 's1'])).toEqual({ ok: true, length: 2 });
    expect(await store.appendChain(clinicId, 0, ['x'])).toEqual({ ok: false, length: 2 });
    const racing = await Promise.all([
      store.appendChain(clinicId, 2, ['a2']),
      store.appendChain(clinicId, 2, ['b2']),
    ]);
    expect(racing.filter((r) => r.ok)).toHaveLength(1);
    expect(await store.readChain(clinicId, 1)).toMatchObject({ length: 3 });
    expect((await store.readChain(clinicId, 1)).statements).toHaveLength(2);
    expect((await store.readChain(uuidv7(), 0)).length).toBe(0);
    await store.close();
    store = await fixture.open();
    expect((await store.readChain(clinicId, 0)).statements.slice(0, 2)).toEqual(['s0', 's1']);
  });

  it('keeps each computer’s audit checkpoint only going forward, concurrently once, across a restart', async () => {
    const cp = (seq: number, hash = `hmac:1:${String(seq).padStart(64, '0')}`) => ({
      chain: 'chain-a',
      seq,
      hash,
      at: '2026-12-07T04:00:00.000Z',
    });
    expect(await store.setAuditCheckpoint(admin.deviceId, cp(5))).toBe('stored');
    expect(await store.setAuditCheckpoint(admin.deviceId, cp(5))).toBe('stored');
    expect(await store.setAuditCheckpoint(admin.deviceId, cp(4))).toBe('behind');
    expect(await store.setAuditCheckpoint(admin.deviceId, cp(5, `hmac:1:${'f'.repeat(64)}`))).toBe(
      'forked',
    );
    expect(await store.setAuditCheckpoint(admin.deviceId, { ...cp(9), chain: 'chain-b' })).toBe(
      'other-chain',
    );
    const outcomes = await Promise.all([
      store.setAuditCheckpoint(admin.deviceId, cp(8)),
      store.setAuditCheckpoint(admin.deviceId, cp(7)),
    ]);
    expect(outcomes).toContain('stored');
    await store.close();
    store = await fixture.open();
    const [device] = await store.listDevices(clinicId);
    expect(device?.auditCheckpoint?.seq).toBe(8);
  });

  it('keeps everything across a restart', async () => {
    await store.putBundle(bundle({ bytes: bytesOf(300, 7) }));
    await store.putKeyBlob(clinicId, {
      userKey: 'u',
      blob: 'b',
      updatedAt: new Date().toISOString(),
      updatedBy: admin.deviceId,
    });
    await store.close();
    store = await fixture.open();
    const page = await store.pullBundles(clinicId, 0, limits);
    expect(page.bundles.map((b) => [b.seq, b.size])).toEqual([[1, 300]]);
    expect(page.bundles[0]!.bytes).toEqual(bytesOf(300, 7));
    expect(await store.getDevice(admin.deviceId)).toMatchObject({ admin: true });
    expect((await store.getKeyBlob(clinicId, 'u'))?.blob).toBe('b');
    expect(await store.putBundle(bundle())).toMatchObject({ seq: 2 });
  });
});
