/**
 * Issue 7: audit events travel through the real sync server like records. Each device pushes its
 * own hash chain; every other device stores it and verifies it, and a server restored from an
 * older backup gets the newer events again from the device that wrote them.
 */
import { cp, rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../renderer/db/audit-chain';
import { auditMacKeysFor } from '../../renderer/db/audit-key';
import { listAuditEvents } from '../../renderer/db/audit-repository';
import { openIssues, syncTables } from '../../renderer/db/sync-state';
import { uuidv7 } from '../../shared/util/ids';
import { Device, newClinic, startServer } from '../sync/harness';

const chart = async (d: Device, text: string) => {
  const note = await d.store.create('note', {
    patientId: uuidv7(),
    templateId: 'soap',
    title: 'Session',
    sections: { subjective: text },
    timeline: [],
  });
  await d.store.audit('view', { recordKind: 'note', recordId: note.id, patientId: note.patientId });
  await d.store.audit('print', {
    recordKind: 'note',
    recordId: note.id,
    detail: `Printed ${text}`,
  });
};

const verify = async (d: Device) =>
  verifyAuditChain(
    d.db,
    await auditMacKeysFor(d.store.session),
    new Date(),
    d.store.session.deviceId,
  );

describe('audit events through the sync server', () => {
  it('reach every device, verify there per device, and survive a server restore', async () => {
    let server = await startServer();
    const { dir, port } = server;
    const backup = `${dir}-backup`;
    const { clinic, enroll } = await newClinic(server.url);
    const a = await Device.create('laptop', clinic, server.url, enroll);
    const b = await Device.create('frontdesk', clinic, server.url, enroll);
    let c: Device | undefined;
    try {
      await chart(a, 'first visit');
      await chart(b, 'intake call');
      for (const d of [a, b, a]) expect(await d.sync()).toBe(true);
      // Nothing left to send: audit changes leave the outbox once the server has them.
      expect(await a.db.outbox.count()).toBe(0);
      // Only this device's note is remembered as pushed (for merging); its audit events leave no row.
      const pushed = await syncTables(a.db).pushed.toArray();
      expect(pushed).toHaveLength(1);
      expect((await a.db.records.get(pushed[0]!.recordId))?.kind).toBe('note');

      for (const d of [a, b]) {
        const report = await verify(d);
        expect(report.ok).toBe(true);
        expect(report.devices.map((x) => [x.deviceId, x.events, x.received]).sort()).toEqual(
          [
            ['laptop', 3, d === b],
            ['frontdesk', 3, d === a],
          ].sort(),
        );
      }
      const seenOnB = await listAuditEvents(b.store, { action: 'print' });
      expect(seenOnB.map((e) => e.detail).sort()).toEqual([
        'Printed first visit',
        'Printed intake call',
      ]);
      expect(await openIssues(b.db)).toHaveLength(0);

      // The server goes back to a copy taken now; the laptop then writes more.
      await server.close(true);
      await cp(dir, backup, { recursive: true });
      server = await startServer({ dir, port });
      await chart(a, 'second visit');
      expect(await a.sync()).toBe(true);
      await server.close(true);
      await rm(dir, { recursive: true, force: true });
      await cp(backup, dir, { recursive: true });
      server = await startServer({ dir, port, restored: true });
      for (const d of [a, b, a]) expect(await d.sync()).toBe(true);

      c = await Device.create('tablet', clinic, server.url, enroll);
      expect(await c.sync()).toBe(true);
      const onC = await verify(c);
      expect(onC.ok).toBe(true);
      expect(onC.devices.find((x) => x.deviceId === 'laptop')?.events).toBe(6);
      expect(onC.devices.find((x) => x.deviceId === 'frontdesk')?.events).toBe(3);
    } finally {
      await a.dispose();
      await b.dispose();
      await c?.dispose();
      await server.close();
      await rm(backup, { recursive: true, force: true });
    }
  }, 90_000);
});
