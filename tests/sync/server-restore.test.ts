/**
 * The server's data is restored from an older backup (SYNC.md rule 8, CHT #8093): its epoch
 * changes, every device re-offers what it holds, and a computer enrolled afterwards still receives
 * every record, including those written after the backup was taken.
 */
import { cp, rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/util/ids';
import { Device, newClinic, startServer } from './harness';

const note = (d: Device, text: string) =>
  d.store.create('note', {
    patientId: uuidv7(),
    templateId: 'soap',
    title: 'Session',
    sections: { subjective: text },
    timeline: [],
  });

describe('a server restored from a backup', () => {
  it('gets back every record from the devices, and new devices receive them all', async () => {
    let server = await startServer();
    const { dir, port } = server;
    const backup = `${dir}-backup`;
    const { clinic, enroll } = await newClinic(server.url);
    const a = await Device.create('laptop', clinic, server.url, enroll);
    const b = await Device.create('frontdesk', clinic, server.url, enroll);
    try {
      await note(a, 'Before the backup');
      expect(await a.sync()).toBe(true);
      await server.close(true);
      await cp(dir, backup, { recursive: true });
      server = await startServer({ dir, port });

      await note(a, 'After the backup');
      await note(b, 'Also after the backup');
      for (const d of [a, b, a, b]) expect(await d.sync()).toBe(true);

      await server.close(true);
      await rm(dir, { recursive: true, force: true });
      await cp(backup, dir, { recursive: true });
      server = await startServer({ dir, port, restored: true });
      for (const d of [a, b, a]) expect(await d.sync()).toBe(true);

      const c = await Device.create('tablet', clinic, server.url, enroll);
      expect(await c.sync()).toBe(true);
      const texts = (await c.store.listKind('note')).map((n) => n.sections.subjective).sort();
      expect(texts).toEqual(['After the backup', 'Also after the backup', 'Before the backup']);
      expect(await c.snapshot()).toEqual(await a.snapshot());
      await c.dispose();
    } finally {
      await a.dispose();
      await b.dispose();
      await server.close();
      await rm(backup, { recursive: true, force: true });
    }
  }, 60_000);
});
