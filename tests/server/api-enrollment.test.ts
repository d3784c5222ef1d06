/**
 * Health, the OpenAPI document, clinic bootstrap, enrollment codes, wrapped-key blobs and what the
 * logs may carry, through app.inject on a real embedded store.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceList, Health, KeyBlob } from '../../shared/sync/protocol';
import { uuidv7 } from '../../shared/util/ids';
import type { Store } from '../../server/store/store';
import { TestChain, person } from '../adversary/members';
import { type ApiWorld, SETUP, openApiWorld } from './api-world';
import {
  type TestDevice,
  bootstrap,
  createCode,
  enroll,
  makeBundle,
  newKeys,
  problemOf,
  pushOk,
} from './client';

let world: ApiWorld;
let app: FastifyInstance;
let store: Store;
let dataKey: CryptoKey;
let admin: TestDevice;

beforeEach(async () => {
  world = await openApiWorld();
  ({ app, store, dataKey, admin } = world);
});

afterEach(() => world.close());

describe('health and documentation', () => {
  it('reports the epoch the store keeps', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(Health.parse(res.json()).epoch).toBe((await store.identity()).epoch);
  });

  it('publishes an OpenAPI document generated from the protocol schemas', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/v1/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/bundles',
        '/v1/devices/{deviceId}/revoke',
        '/v1/key-blobs/{userKey}',
      ]),
    );
    const enroll = doc.paths['/v1/devices/enroll'].post;
    expect(enroll.requestBody.content['application/json'].schema.required).toEqual([
      'code',
      'publicKey',
    ]);
    expect(doc.paths['/v1/bundles'].post.requestBody.content).toHaveProperty(
      'application/octet-stream',
    );
  });

  it('answers unknown addresses with a problem, not an HTML page', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(problemOf(res)).toMatchObject({ status: 404, code: 'not-found' });
  });
});

describe('clinic bootstrap and enrollment', () => {
  it('needs the setup token, spends it on one clinic, and registers a clinic only once', async () => {
    const { publicKey } = await newKeys();
    const bootstrapWith = (setupToken: string, clinicId = uuidv7()) =>
      app.inject({
        method: 'POST',
        url: '/v1/clinics',
        payload: { setupToken, clinicId, publicKey },
      });
    // The world's first clinic spent SETUP.
    expect(problemOf(await bootstrapWith(SETUP))).toMatchObject({
      status: 403,
      code: 'setup-token-spent',
    });
    const fresh = await store.renewSetupToken();
    expect(problemOf(await bootstrapWith('not-the-token-at-all'))).toMatchObject({
      status: 403,
      code: 'bad-setup-token',
    });
    expect(problemOf(await bootstrapWith(SETUP))).toMatchObject({ code: 'bad-setup-token' });
    const again = await bootstrapWith(fresh, admin.credentials.clinicId);
    expect(problemOf(again)).toMatchObject({ status: 409, code: 'clinic-exists' });
    expect((await bootstrapWith(fresh)).statusCode).toBe(201);
    expect(admin.credentials.admin).toBe(true);
  });

  it('enrolls with a one-time code typed loosely, refuses reuse and expiry', async () => {
    const { code, expiresAt } = await createCode(app, admin);
    expect(Date.parse(expiresAt) - world.clock.ms).toBe(15 * 60_000);
    const { publicKey } = await newKeys();
    const typed = code.replace(/-/g, '').toLowerCase();
    const first = await app.inject({
      method: 'POST',
      url: '/v1/devices/enroll',
      payload: { code: typed, publicKey },
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ clinicId: admin.credentials.clinicId, admin: false });
    const reuse = await app.inject({
      method: 'POST',
      url: '/v1/devices/enroll',
      payload: { code, publicKey },
    });
    expect(problemOf(reuse)).toMatchObject({ status: 403, code: 'code-used' });

    const late = await createCode(app, admin);
    world.clock.ms += 15 * 60_000 + 1;
    const expired = await app.inject({
      method: 'POST',
      url: '/v1/devices/enroll',
      payload: { code: late.code, publicKey },
    });
    expect(problemOf(expired)).toMatchObject({ code: 'code-expired' });
    expect(problemOf(expired).detail).toMatch(/expired .*15 minutes/);
    const devices = DeviceList.parse(
      (await app.inject({ method: 'GET', url: '/v1/devices', headers: admin.auth })).json(),
    ).devices;
    expect(devices).toHaveLength(2);
  });

  it('only an admin device creates codes; an unreadable public key is refused', async () => {
    const laptop = await enroll(app, admin);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/enrollment-codes',
      headers: laptop.auth,
      payload: {},
    });
    expect(problemOf(res)).toMatchObject({ status: 403, code: 'admin-only' });
    const { code } = await createCode(app, admin);
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/devices/enroll',
      payload: { code, publicKey: 'A'.repeat(120) },
    });
    expect(problemOf(bad)).toMatchObject({ status: 400, code: 'bad-public-key' });
  });
});

describe('wrapped-key blobs', () => {
  it('are written only by their member’s computers or an administrator’s, always naming the revision', async () => {
    const laptop = await enroll(app, admin);
    // The membership chain says the laptop is Dana's (tests/adversary/members.ts builds it).
    const chain = new TestChain(admin.credentials.clinicId);
    const [alex, dana] = [await person(), await person()];
    await chain.root(alex);
    await chain.append(alex, {
      kind: 'add-user',
      userId: dana.userId,
      roles: ['therapist'],
      keys: dana.keys,
    });
    await chain.append(alex, {
      kind: 'enroll-device',
      deviceId: laptop.credentials.deviceId,
      publicKey: dana.keys.signingKey,
      owner: dana.userId,
    });
    const appended = await app.inject({
      method: 'POST',
      url: '/v1/chain',
      headers: admin.auth,
      payload: { expectLength: 0, statements: chain.texts },
    });
    expect(appended.statusCode).toBe(200);
    const put = (device: TestDevice, name: string, blob: string, ifRevision?: number) =>
      app.inject({
        method: 'PUT',
        url: `/v1/key-blobs/${name}`,
        headers: device.auth,
        payload: { blob, ifRevision },
      });
    const danas = `member-${dana.userId}`;
    const created = await put(laptop, danas, 'wrapped-v1', 0);
    expect(KeyBlob.parse(created.json())).toMatchObject({
      revision: 1,
      updatedBy: laptop.credentials.deviceId,
    });
    expect(problemOf(await put(admin, danas, 'stale', 0))).toMatchObject({
      status: 409,
      code: 'revision-mismatch',
    });
    expect(problemOf(await put(admin, danas, 'no revision'))).toMatchObject({
      status: 400,
      code: 'malformed-request',
    });
    expect((await put(admin, danas, 'wrapped-v2', 1)).statusCode).toBe(200);
    const got = await app.inject({
      method: 'GET',
      url: `/v1/key-blobs/${danas}`,
      headers: laptop.auth,
    });
    expect(got.json()).toMatchObject({ blob: 'wrapped-v2', revision: 2 });

    // Dana's laptop (or its stolen token) may not write Alex's row, nor the recovery holder.
    const foreignRow = await put(laptop, `member-${alex.userId}`, 'mine now', 0);
    expect(problemOf(foreignRow)).toMatchObject({ status: 403, code: 'key-blob-not-yours' });
    expect(problemOf(foreignRow).detail).toMatch(/own computers and administrators/);
    expect(problemOf(await put(laptop, 'clinic-recovery', 'x', 0)).status).toBe(403);
    expect(problemOf(await put(laptop, 'user-42', 'x', 0)).detail).toMatch(/not a key name/);
    // A row waiting for confirmation may come from any computer of the clinic.
    expect((await put(laptop, `pending-${alex.userId}`, 'new keys', 0)).statusCode).toBe(200);

    const other = await bootstrap(app, await store.renewSetupToken());
    const foreign = await app.inject({ method: 'GET', url: '/v1/key-blobs', headers: other.auth });
    expect(foreign.json()).toEqual({ blobs: [] });

    const byLaptop = await app.inject({
      method: 'DELETE',
      url: `/v1/key-blobs/${danas}`,
      headers: laptop.auth,
    });
    expect(problemOf(byLaptop).code).toBe('admin-only');
    const byAdmin = await app.inject({
      method: 'DELETE',
      url: `/v1/key-blobs/${danas}`,
      headers: admin.auth,
    });
    expect(byAdmin.statusCode).toBe(204);
  });
});

describe('logs', () => {
  it('carry ids and sizes but no tokens, key blobs or bundle bytes', async () => {
    const { bytes } = await makeBundle(admin, dataKey);
    await pushOk(app, admin, bytes);
    await app.inject({
      method: 'PUT',
      url: '/v1/key-blobs/u1',
      headers: admin.auth,
      payload: { blob: 'SECRET-WRAPPED-KEY' },
    });
    const text = world.logs.join('\n');
    expect(text).toContain('bundle stored');
    expect(text).toContain(admin.credentials.clinicId);
    expect(text).not.toContain(admin.credentials.token.split('.')[1]!);
    expect(text).not.toContain('SECRET-WRAPPED-KEY');
    expect(text).not.toContain(SETUP);
    expect(text).not.toContain(Buffer.from(bytes).toString('base64').slice(100, 140));
  });
});
