/**
 * Records another device wrote reach this device's listeners (the patient index) through the
 * store's public announceRemote, exactly as the background sync wires it (sync-runtime.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordChange } from '../../renderer/db/record-store';
import { Device, newClinic, startServer } from './harness';
import { addMaya } from '../../renderer/db/test-support';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

describe('records applied from sync', () => {
  it('are announced to the store listeners of the receiving device', async () => {
    const { clinic, enroll } = await newClinic(server.url);
    const a = await Device.create('laptop', clinic, server.url, enroll);
    const b = await Device.create('frontdesk', clinic, server.url, enroll);
    try {
      const heard: RecordChange[] = [];
      b.store.onChange((changes) => heard.push(...changes));
      b.onApplied = (records) =>
        b.store.announceRemote(records.map((record) => ({ kind: record.kind, record })));
      const patient = await addMaya(a.store);
      expect(await a.sync()).toBe(true);
      expect(await b.sync()).toBe(true);
      expect(heard.map((c) => [c.kind, c.record.id])).toEqual([['patient', patient.id]]);
      b.store.announceRemote([]);
      expect(heard).toHaveLength(1);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  }, 30_000);
});
