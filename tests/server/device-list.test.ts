/**
 * What an administrator's list of computers is made of, on the server: each computer's own sealed
 * profile (opaque to the server, set by that computer only), and when the server last saw it and
 * last served it a pull — kept across a restart, for both stores.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceList } from '../../shared/sync/protocol';
import { buildApp } from '../../server/app';
import type { Store } from '../../server/store/store';
import { bootstrap, enroll, problemOf, pull } from './client';
import { type StoreFixture, embeddedFixture, newDevice, postgresFixture } from './helpers';
import { uuidv7 } from '../../shared/util/ids';

const SETUP = 'setup-token-for-tests-0123456789';

describe.each([
  ['embedded', embeddedFixture],
  ['postgres', () => postgresFixture()],
] as [string, () => StoreFixture][])('computers of a clinic (%s store)', (_name, makeFixture) => {
  let fixture: StoreFixture;
  let store: Store;
  afterEach(async () => {
    await store.close();
    await fixture.cleanup();
  });

  it('lists each computer with its own sealed profile and when it was last seen and synced, across a restart', async () => {
    fixture = makeFixture();
    store = await fixture.open();
    const clock = { ms: Date.parse('2026-03-02T08:00:00.000Z') };
    let app = buildApp({ store, setupToken: SETUP, now: () => new Date(clock.ms) });
    const admin = await bootstrap(app, SETUP);
    const laptop = await enroll(app, admin);

    const put = (auth: { authorization: string }, profile: unknown) =>
      app.inject({
        method: 'PUT',
        url: '/v1/devices/me/profile',
        headers: auth,
        payload: { profile },
      });
    expect((await put(laptop.auth, 'p1.1.sealed-laptop-profile')).statusCode).toBe(204);
    expect(problemOf(await put(laptop.auth, 'x'.repeat(4097))).status).toBe(400);
    expect(problemOf(await put({ authorization: 'Bearer nope' }, 'p1.1.x')).status).toBe(401);

    clock.ms += 60_000;
    await pull(app, laptop); // a sync round
    clock.ms += 60_000;
    const list = async () =>
      DeviceList.parse(
        (await app.inject({ method: 'GET', url: '/v1/devices', headers: admin.auth })).json(),
      ).devices;
    const seen = await list();
    const laptopRow = seen.find((d) => d.deviceId === laptop.credentials.deviceId)!;
    expect(laptopRow).toMatchObject({
      profile: 'p1.1.sealed-laptop-profile',
      lastSeenAt: '2026-03-02T08:01:00.000Z',
      lastSyncAt: '2026-03-02T08:01:00.000Z',
    });
    // Listing is being seen, not syncing.
    const adminRow = seen.find((d) => d.deviceId === admin.credentials.deviceId)!;
    expect(adminRow.profile).toBeNull();
    expect(adminRow.lastSyncAt).toBeNull();

    // Written when the server stops; read back after it starts again.
    await app.close();
    await store.close();
    store = await fixture.open();
    app = buildApp({ store, setupToken: SETUP, now: () => new Date(clock.ms) });
    const again = (await store.listDevices(laptop.credentials.clinicId)).find(
      (d) => d.deviceId === laptop.credentials.deviceId,
    )!;
    expect(again).toMatchObject({
      profile: 'p1.1.sealed-laptop-profile',
      lastSeenAt: '2026-03-02T08:01:00.000Z',
      lastSyncAt: '2026-03-02T08:01:00.000Z',
    });
    await app.close();
  });

  it('keeps the later time when activity arrives out of order (several instances)', async () => {
    fixture = makeFixture();
    store = await fixture.open();
    const clinicId = uuidv7();
    const d = newDevice(clinicId, { admin: true });
    await store.createClinic(clinicId, d);
    await store.recordActivity([
      {
        deviceId: d.deviceId,
        lastSeenAt: '2026-03-02T10:00:00.000Z',
        lastSyncAt: '2026-03-02T09:00:00.000Z',
      },
    ]);
    await store.recordActivity([
      { deviceId: d.deviceId, lastSeenAt: '2026-03-02T09:30:00.000Z', lastSyncAt: null },
    ]);
    expect(await store.getDevice(d.deviceId)).toMatchObject({
      lastSeenAt: '2026-03-02T10:00:00.000Z',
      lastSyncAt: '2026-03-02T09:00:00.000Z',
    });
  });
});
