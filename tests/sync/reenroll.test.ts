/**
 * Re-enrollment (issue 14 finding 4): a computer whose keychain lost its sync credentials kept
 * its clinic and its unsent changes, but could never sync again — joining refused a computer that
 * already has a clinic. With a new enrollment code it reconnects: same records, new device, the
 * old device revoked on the server, and everything it holds offered again, so the patient typed
 * while it was cut off reaches the other computer. Real server, real engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMaya } from '../../renderer/db/test-support';
import { readSyncConfig } from '../../renderer/db/sync-state';
import { startJoin } from '../../renderer/sync/connect';
import { memoryKeychain } from '../../renderer/sync/device-credentials';
import { reenrollComputer } from '../../renderer/sync/reenroll';
import { ServerClient } from '../../renderer/sync/server-client';
import { Device, newClinic, startServer } from './harness';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

describe('re-enrolling a computer that lost its sync credentials', () => {
  it('keeps its clinic and records, revokes the old device, and re-offers what it holds', async () => {
    const { clinic, enroll } = await newClinic(server.url);
    const admin = await Device.create('admin', clinic, server.url, enroll);
    const laptop = await Device.create('laptop', clinic, server.url, enroll);
    const desk = await Device.create('desk', clinic, server.url, enroll);
    try {
      await laptop.db.meta.put({ key: 'clinic', value: { clinicId: clinic.clinicId } });
      const synced = await addMaya(laptop.store);
      expect(await laptop.sync()).toBe(true);
      // Cut off, then typed: a patient that has never left this computer.
      laptop.online = false;
      const unsent = await laptop.store.create('patient', {
        firstName: 'Ruth',
        lastName: 'Adeyemi',
        dateOfBirth: '1979-02-03',
        sexAtBirth: 'female',
        active: true,
      });
      laptop.online = true;
      const oldDevice = (await readSyncConfig(laptop.db))!.deviceId;

      // The keychain entry is gone (unreadable after an OS reinstall): an empty keychain.
      const keychain = memoryKeychain();
      // What the app offered before: join again — refused, the computer already has a clinic.
      await expect(
        startJoin(laptop.db, keychain, { serverUrl: server.url, code: 'AAAA-BBBB-CCCC' }),
      ).rejects.toThrow(/already has a clinic/);

      const adminToken = (await readAdminToken(admin))!;
      const { code } = await new ServerClient(server.url, adminToken).createEnrollmentCode(false);
      const result = await reenrollComputer(laptop.db, keychain, { code });
      expect(result.replaced).toBe(oldDevice);
      expect(result.deviceId).not.toBe(oldDevice);

      // The old device is revoked on the server; the laptop keeps every record it had.
      const devices = await new ServerClient(server.url, adminToken).devices();
      expect(devices.devices.find((d) => d.deviceId === oldDevice)?.revokedAt).toBeTruthy();
      expect(devices.devices.find((d) => d.deviceId === result.deviceId)?.revokedAt).toBeFalsy();
      expect(await laptop.db.records.get(synced.id)).toBeDefined();
      expect(await laptop.db.records.get(unsent.id)).toBeDefined();

      // Whoever still holds the old device's token (a copy of the lost keychain) is refused.
      await expect(laptop.engine.syncOnce()).rejects.toThrow(/removed|revoked/i);
      await laptop.reloadCredentials(keychain);
      expect(await laptop.sync()).toBe(true);
      expect(await laptop.db.outbox.count()).toBe(0);
      expect(await desk.sync()).toBe(true);
      const names = (await desk.store.listKind('patient')).map((p) => p.firstName).sort();
      expect(names).toEqual(['Maya', 'Ruth']);
      // Offered again, nothing multiplied: the laptop still has its two patients, once each.
      expect(await laptop.sync()).toBe(true);
      expect((await laptop.store.listKind('patient')).length).toBe(2);
    } finally {
      await admin.dispose();
      await laptop.dispose();
      await desk.dispose();
    }
  }, 60_000);
});

/** The administrator computer's device token, as its keychain would hold it. */
async function readAdminToken(admin: Device): Promise<string | undefined> {
  return (admin as unknown as { secrets: { token: string } }).secrets.token;
}
