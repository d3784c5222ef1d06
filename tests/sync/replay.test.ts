/**
 * Replay is a no-op, whatever its size (issue 14 finding 2 and point 2). A note autosaved hundreds
 * of times, each version in its own bundle, then signed; then the whole server history is
 * delivered again twice — once because the server's epoch changed (restored from a backup), once
 * because a quarantined bundle was retried (the cursor rewound to its sequence). Seen tracking
 * that kept the last 32 versions took each older autosave for a concurrent edit of the signed
 * note and made a conflict copy of it, on every computer. Now: nothing new, nothing copied.
 */
import { describe, expect, it } from 'vitest';
import { fromBase64 } from '../../shared/util/bytes';
import { uuidv7 } from '../../shared/util/ids';
import { openIssues, syncTables } from '../../renderer/db/sync-state';
import { retryQuarantined } from '../../renderer/sync/key-refresh';
import { Device, newClinic, startServer } from './harness';

const AUTOSAVES = 300;

async function state(d: Device) {
  const notes = await d.store.listKind('note');
  return {
    records: await d.db.records.count(),
    notes: notes.length,
    copies: notes.filter((n) => n.conflictWith).length,
    outbox: await d.db.outbox.count(),
  };
}

describe('the whole server history delivered again', () => {
  it('after hundreds of autosaves of a signed note: zero new records, zero conflict copies', async () => {
    let server = await startServer();
    const { dir, port } = server;
    const { clinic, enroll } = await newClinic(server.url);
    const laptop = await Device.create('laptop', clinic, server.url, enroll);
    const frontdesk = await Device.create('frontdesk', clinic, server.url, enroll);
    try {
      const note = await laptop.store.create('note', {
        patientId: uuidv7(),
        templateId: 'soap',
        title: 'Integration session',
        sections: { subjective: 'Autosave 0' },
        timeline: [],
      });
      for (let i = 1; i <= AUTOSAVES; i++) {
        await laptop.store.update('note', note.id, () => ({
          sections: { subjective: `Autosave ${i}: arrived calm, slept after dosing.` },
        }));
        expect(await laptop.sync()).toBe(true); // each version its own bundle on the server
        if (i % 50 === 0) expect(await frontdesk.sync()).toBe(true);
      }
      await laptop.store.sign('note', note.id);
      for (const d of [laptop, frontdesk, laptop]) expect(await d.sync()).toBe(true);
      const expected = { records: 1, notes: 1, copies: 0, outbox: 0 };
      expect(await state(laptop)).toEqual(expected);
      expect(await state(frontdesk)).toEqual(expected);

      // 1. The server is restored in place: a new epoch, every device re-offers and re-pulls.
      await server.close(true);
      server = await startServer({ dir, port, restored: true });
      for (const d of [laptop, frontdesk, laptop, frontdesk]) expect(await d.sync()).toBe(true);
      expect(await state(laptop)).toEqual(expected);
      expect(await state(frontdesk)).toEqual(expected);

      // 2. A quarantined bundle from the start of the history is retried once its key version
      // opens: the cursor rewinds to it and everything after is delivered again.
      for (const d of [laptop, frontdesk]) {
        const first = (await d.engine.client().pull(0)).bundles[0]!;
        await syncTables(d.db).issues.add({
          at: new Date().toISOString(),
          kind: 'quarantined-bundle',
          message: 'Sealed under a clinic key version this computer did not hold yet.',
          bundleId: first.bundleId,
          seq: first.seq,
          fromDevice: first.deviceId,
          bytes: fromBase64(first.bytes),
        });
        expect(await retryQuarantined(d.db, [1])).toBe(1);
      }
      for (const d of [frontdesk, laptop, frontdesk]) expect(await d.sync()).toBe(true);
      expect(await state(laptop)).toEqual(expected);
      expect(await state(frontdesk)).toEqual(expected);
      expect(await openIssues(frontdesk.db)).toEqual([]);
      expect(await frontdesk.snapshot()).toEqual(await laptop.snapshot());
      const [signed] = await frontdesk.store.listKind('note');
      expect(signed).toMatchObject({
        status: 'signed',
        sections: { subjective: `Autosave ${AUTOSAVES}: arrived calm, slept after dosing.` },
      });
    } finally {
      await laptop.dispose();
      await frontdesk.dispose();
      await server.close();
    }
  }, 300_000);
});
