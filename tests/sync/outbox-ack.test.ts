/**
 * What an acknowledged push settles in the outbox (SYNC.md rule 6): the rows the bundle's record
 * states were read after, and nothing else. An edit typed while the bundle was in flight stays
 * pending and reaches the other devices in the next round, whether the acknowledgement came at
 * once or only after a lost response and a retry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionNote } from '../../shared/model';
import { uuidv7 } from '../../shared/util/ids';
import { Device, newClinic, startServer } from './harness';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

const patientId = uuidv7();
const newNote = (d: Device, subjective: string, title = 'Session') =>
  d.store.create('note', {
    patientId,
    templateId: 'soap',
    title,
    sections: { subjective },
    timeline: [],
  });
const noteText = async (d: Device, id: string) =>
  (await d.store.listKind('note')).find((n) => n.id === id)?.sections.subjective;

describe('acknowledging a push', () => {
  it('keeps an edit made while the bundle was in flight, and sends it next round', async () => {
    const { clinic, enroll } = await newClinic(server.url);
    const laptop = await Device.create('laptop', clinic, server.url, enroll);
    const tablet = await Device.create('tablet', clinic, server.url, enroll);
    try {
      const note = await newNote(laptop, 'Arrived calm');
      // The server stores the bundle but the answer is lost: it stays in flight on the laptop.
      laptop.loseNextPushResponse = true;
      expect(await laptop.sync()).toBe(false);
      await laptop.store.update('note', note.id, () => ({
        sections: { subjective: 'Arrived calm; slept after dosing' },
      }));
      const pendingBefore = await laptop.db.outbox.where('recordId').equals(note.id).count();
      expect(pendingBefore).toBe(2);

      // The retry settles the first row only; the same round then sends the edit.
      expect(await laptop.sync()).toBe(true);
      expect(await laptop.db.outbox.where('recordId').equals(note.id).count()).toBe(0);
      expect(await tablet.sync()).toBe(true);
      expect(await noteText(tablet, note.id)).toBe('Arrived calm; slept after dosing');
    } finally {
      await laptop.dispose();
      await tablet.dispose();
    }
  });

  it('sends edits typed while bundles were on their way, in the same round', async () => {
    const { clinic, enroll } = await newClinic(server.url);
    const laptop = await Device.create('laptop', clinic, server.url, enroll);
    const tablet = await Device.create('tablet', clinic, server.url, enroll);
    try {
      const notes: SessionNote[] = [];
      for (let i = 0; i < 7; i++) notes.push(await newNote(laptop, `Draft ${i}`, `Session ${i}`));
      // Bundles carry 3 records here: the first push is note 0's, the next one is being built.
      let pushes = 0;
      laptop.intercept = async (url, init, send) => {
        if (init?.method === 'POST' && url.endsWith('/v1/bundles') && pushes++ === 0)
          for (const i of [0, 4])
            await laptop.store.update('note', notes[i]!.id, () => ({
              sections: { subjective: `Draft ${i}, finished while sending` },
            }));
        return send();
      };
      expect(await laptop.sync()).toBe(true);
      expect(await laptop.db.outbox.count()).toBe(0);
      expect(await tablet.sync()).toBe(true);
      expect(await noteText(tablet, notes[0]!.id)).toBe('Draft 0, finished while sending');
      expect(await noteText(tablet, notes[4]!.id)).toBe('Draft 4, finished while sending');
      expect(await noteText(tablet, notes[6]!.id)).toBe('Draft 6');
    } finally {
      await laptop.dispose();
      await tablet.dispose();
    }
  });

  it('settles a bundle left in flight by an earlier version (no list of rows kept)', async () => {
    const { clinic, enroll } = await newClinic(server.url);
    const laptop = await Device.create('laptop', clinic, server.url, enroll);
    try {
      const note = await newNote(laptop, 'Before the upgrade');
      laptop.loseNextPushResponse = true;
      expect(await laptop.sync()).toBe(false);
      const inflight = await laptop.db.meta.get('sync-inflight');
      const { seqs: _seqs, ...older } = inflight!.value as { seqs?: number[] };
      await laptop.db.meta.put({ key: 'sync-inflight', value: older });
      expect(await laptop.db.outbox.count()).toBeGreaterThan(0);

      expect(await laptop.sync()).toBe(true);
      expect(await laptop.db.outbox.count()).toBe(0);
      expect(await laptop.db.meta.get('sync-inflight')).toBeUndefined();
      expect(await laptop.db.syncPushed.get(note.id)).toMatchObject({ hlc: note.updatedAt });
    } finally {
      await laptop.dispose();
    }
  });
});
