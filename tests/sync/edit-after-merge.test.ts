/**
 * An edit made right after sync merged another computer's change into a draft starts from what
 * is stored. The merged draft keeps the newer clock of its two sides, so when this computer's
 * version was the newer one, the stored record changed without its `updatedAt` changing; the
 * store's cache of its own last write then looked current, and the next edit put the old title
 * back over the merged one (found by the convergence property test, seed -491568025).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionNote } from '../../shared/model';
import { addMaya } from '../../renderer/db/test-support';
import { Device, newClinic, startServer } from './harness';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

describe('an edit after a merge', () => {
  it('keeps the title merged in from the other computer', async () => {
    const { clinic, enroll } = await newClinic(server.url);
    const laptop = await Device.create('laptop', clinic, server.url, enroll);
    const frontdesk = await Device.create('frontdesk', clinic, server.url, enroll);
    try {
      const patient = await addMaya(frontdesk.store);
      const note = await frontdesk.store.create('note', {
        patientId: patient.id,
        templateId: 'soap',
        title: 'Session',
        sections: { subjective: 'Calm.' },
        timeline: [],
      });
      expect(await frontdesk.sync()).toBe(true);
      await frontdesk.store.update('note', note.id, () => ({ title: 'Integration session' }));
      expect(await laptop.sync()).toBe(true);
      // The laptop edits the text (a later clock than the front desk's new title).
      await laptop.store.update('note', note.id, () => ({
        sections: { subjective: 'Calm. Slept.' },
      }));
      expect(await frontdesk.sync()).toBe(true);
      expect(await laptop.sync()).toBe(true);
      const merged = (await laptop.store.get('note', note.id)) as SessionNote;
      expect([merged.title, merged.sections.subjective]).toEqual([
        'Integration session',
        'Calm. Slept.',
      ]);
      // The next keystroke on the laptop.
      await laptop.store.update('note', note.id, () => ({
        sections: { subjective: 'Calm. Slept well.' },
      }));
      const edited = (await laptop.store.get('note', note.id)) as SessionNote;
      expect([edited.title, edited.sections.subjective]).toEqual([
        'Integration session',
        'Calm. Slept well.',
      ]);
    } finally {
      await laptop.dispose();
      await frontdesk.dispose();
    }
  }, 60_000);
});
