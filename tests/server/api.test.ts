/**
 * Push and pull through app.inject on a real embedded store: idempotent push, paged pull, and
 * every refusal the issue lists — each a problem+json with a plain-words detail and nothing stored.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeBundle } from '../../shared/sync/bundle';
import { importPublicKey } from '../../shared/sync/device-keys';
import { DeviceList, LIMITS, authorizationHeader } from '../../shared/sync/protocol';
import { uuidv7 } from '../../shared/util/ids';
import { type ApiWorld, openApiWorld } from './api-world';
import {
  type TestDevice,
  bootstrap,
  enroll,
  makeBundle,
  newKeys,
  problemOf,
  pull,
  push,
  pushOk,
} from './client';

let world: ApiWorld;
let app: FastifyInstance;
let dataKey: CryptoKey;
let admin: TestDevice;

beforeEach(async () => {
  world = await openApiWorld();
  ({ app, dataKey, admin } = world);
});

afterEach(() => world.close());

describe('push and pull', () => {
  it('stores a bundle once: a retry gets the same sequence, a re-encoded retry too', async () => {
    const { bytes, header } = await makeBundle(admin, dataKey);
    const first = await push(app, admin, bytes);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ bundleId: header.bundleId, seq: 1, duplicate: false });
    const retry = await push(app, admin, bytes);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({ bundleId: header.bundleId, seq: 1, duplicate: true });
    const reencoded = await makeBundle(admin, dataKey, 'integration note', {
      bundleId: header.bundleId,
    });
    expect(await pushOk(app, admin, reencoded.bytes)).toMatchObject({ seq: 1, duplicate: true });
    const page = await pull(app, admin);
    expect(page.bundles).toHaveLength(1);
    expect(Buffer.from(page.bundles[0]!.bytes, 'base64')).toEqual(Buffer.from(bytes));
  });

  it('pages after a cursor by count and bytes; another device decodes what it pulls', async () => {
    const laptop = await enroll(app, admin);
    const sent: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { bytes, header } = await makeBundle(
        admin,
        dataKey,
        `line ${i} `.repeat(200 * (i + 1)),
      );
      await pushOk(app, admin, bytes);
      sent.push(header.bundleId);
    }
    const sizes: number[] = [];
    let after = 0;
    const pages: number[][] = [];
    for (;;) {
      const page = await pull(app, laptop, { after, limit: 3 });
      expect(page.head).toBe(7);
      if (page.bundles.length === 0) break;
      pages.push(page.bundles.map((b) => b.seq));
      sizes.push(...page.bundles.map((b) => b.size));
      expect(page.hasMore).toBe(page.cursor < 7);
      after = page.cursor;
    }
    expect(pages).toEqual([[1, 2, 3], [4, 5, 6], [7]]);

    const byBytes = await pull(app, laptop, { maxBytes: Math.max(1024, sizes[0]! + sizes[1]!) });
    expect(byBytes.bundles.length).toBeLessThan(7);
    expect(byBytes.bundles.length).toBeGreaterThanOrEqual(1);

    const devices = DeviceList.parse(
      (await app.inject({ method: 'GET', url: '/v1/devices', headers: laptop.auth })).json(),
    ).devices;
    const keys = new Map(
      await Promise.all(
        devices.map(async (d) => [d.deviceId, await importPublicKey(d.publicKey)] as const),
      ),
    );
    const all = await pull(app, laptop);
    const decoded = await Promise.all(
      all.bundles.map((b) =>
        decodeBundle(Buffer.from(b.bytes, 'base64'), {
          clinicId: laptop.credentials.clinicId,
          dataKeyFor: () => dataKey,
          publicKeyFor: (id) => keys.get(id),
        }),
      ),
    );
    expect(decoded.map((d) => d.header.bundleId)).toEqual(sent);
    expect(JSON.stringify(decoded[6]!.changes[0]!.record)).toContain('line 6');
  });

  it('an empty page keeps the cursor and reports the head', async () => {
    const page = await pull(app, admin, { after: 0 });
    expect(page).toMatchObject({ bundles: [], cursor: 0, head: 0, hasMore: false });
  });
});

describe('refusals', () => {
  const headOf = async (device: TestDevice) => (await pull(app, device)).head;

  it('a revoked device is refused from its next request on', async () => {
    const laptop = await enroll(app, admin);
    await pushOk(app, laptop, (await makeBundle(laptop, dataKey)).bytes);
    const revoke = await app.inject({
      method: 'POST',
      url: `/v1/devices/${laptop.credentials.deviceId}/revoke`,
      headers: admin.auth,
    });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json().revokedAt).toBe(new Date(world.clock.ms).toISOString());
    const res = await push(app, laptop, (await makeBundle(laptop, dataKey)).bytes);
    // The app says when in its own words and date format (issue 19 point 7): the time comes whole.
    expect(problemOf(res)).toMatchObject({
      status: 403,
      code: 'device-revoked',
      revokedAt: revoke.json().revokedAt,
    });
    expect(problemOf(res).detail).toMatch(/^This computer was removed/);
    const pulled = await app.inject({ method: 'GET', url: '/v1/bundles', headers: laptop.auth });
    expect(problemOf(pulled).code).toBe('device-revoked');
    expect(await headOf(admin)).toBe(1);
    const self = await app.inject({
      method: 'POST',
      url: `/v1/devices/${admin.credentials.deviceId}/revoke`,
      headers: admin.auth,
    });
    expect(problemOf(self)).toMatchObject({ status: 409, code: 'last-admin' });
  });

  it('missing, malformed and forged credentials are refused', async () => {
    const { bytes } = await makeBundle(admin, dataKey);
    const none = await app.inject({
      method: 'POST',
      url: '/v1/bundles',
      payload: Buffer.from(bytes),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(problemOf(none)).toMatchObject({ status: 401, code: 'missing-credentials' });
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    const garbage = { ...admin, auth: { authorization: 'Bearer nonsense' } };
    expect(problemOf(await push(app, garbage, bytes)).code).toBe('bad-credentials');
    const [id] = admin.credentials.token.split('.');
    const forged = {
      ...admin,
      auth: { authorization: authorizationHeader(`${id}.${'A'.repeat(43)}`) },
    };
    expect(problemOf(await push(app, forged, bytes)).code).toBe('bad-credentials');
    const stranger = {
      ...admin,
      auth: { authorization: authorizationHeader(`${uuidv7()}.${'B'.repeat(43)}`) },
    };
    expect(problemOf(await push(app, stranger, bytes)).code).toBe('bad-credentials');
    expect(await headOf(admin)).toBe(0);
  });

  it("refuses another clinic's bundle replayed, another device's bundle, and a bad signature", async () => {
    const otherAdmin = await bootstrap(app, await world.store.renewSetupToken());
    const captured = await makeBundle(otherAdmin, dataKey, 'other clinic');
    await pushOk(app, otherAdmin, captured.bytes);
    const replay = await push(app, admin, captured.bytes);
    expect(problemOf(replay)).toMatchObject({ status: 403, code: 'wrong-clinic' });

    const colleague = await enroll(app, admin);
    const theirs = await makeBundle(colleague, dataKey);
    expect(problemOf(await push(app, admin, theirs.bytes))).toMatchObject({ code: 'wrong-device' });

    const impostor = await newKeys();
    const signedByOther = await makeBundle(admin, dataKey, 'x', {
      signingKey: impostor.keys.privateKey,
    });
    expect(problemOf(await push(app, admin, signedByOther.bytes))).toMatchObject({
      status: 422,
      code: 'bad-signature',
    });
    expect(await headOf(admin)).toBe(0);
    expect(await headOf(otherAdmin)).toBe(1);
  });

  it('refuses malformed and oversized bodies with problem+json and stores nothing', async () => {
    const junk = await push(app, admin, new Uint8Array(500).fill(7));
    expect(problemOf(junk)).toMatchObject({ status: 400, code: 'bundle-malformed' });
    const { bytes } = await makeBundle(admin, dataKey);
    expect(problemOf(await push(app, admin, bytes.subarray(0, bytes.length - 3))).code).toBe(
      'bundle-malformed',
    );

    const huge = await push(app, admin, new Uint8Array(LIMITS.maxBundleBytes + 1));
    expect(problemOf(huge)).toMatchObject({ status: 413, code: 'body-too-large' });

    const asJson = await app.inject({
      method: 'POST',
      url: '/v1/bundles',
      headers: admin.auth,
      payload: { not: 'a bundle' },
    });
    expect(problemOf(asJson)).toMatchObject({ status: 415 });

    const badJson = await app.inject({
      method: 'PUT',
      url: '/v1/key-blobs/user-1',
      headers: { ...admin.auth, 'content-type': 'application/json' },
      payload: '{"blob": ',
    });
    expect(problemOf(badJson)).toMatchObject({ status: 400, code: 'malformed-json' });
    const wrongShape = await app.inject({
      method: 'PUT',
      url: '/v1/key-blobs/user-1',
      headers: admin.auth,
      payload: { blob: 42 },
    });
    expect(problemOf(wrongShape)).toMatchObject({ status: 400, code: 'malformed-request' });
    expect(problemOf(wrongShape).detail).toMatch(/blob/);
    const bigJson = await app.inject({
      method: 'PUT',
      url: '/v1/key-blobs/user-1',
      headers: admin.auth,
      payload: { blob: 'x'.repeat(LIMITS.maxJsonBodyBytes) },
    });
    expect(problemOf(bigJson)).toMatchObject({ status: 413 });
    const badCursor = await app.inject({
      method: 'GET',
      url: '/v1/bundles?after=-1',
      headers: admin.auth,
    });
    expect(problemOf(badCursor)).toMatchObject({ status: 400, code: 'malformed-request' });

    expect(await headOf(admin)).toBe(0);
    const blob = await app.inject({
      method: 'GET',
      url: '/v1/key-blobs/user-1',
      headers: admin.auth,
    });
    expect(problemOf(blob)).toMatchObject({ status: 404 });
  });
});
