/**
 * The header's "Changes waiting" through a computer's sync life (issue 14 point 7, issue 20: it
 * is counted from the outbox's [kind+recordId] index now, not by reading every row): edits
 * count once per record, an acknowledged push clears them, a push whose answer was lost does
 * not, and audit events never count. Records of kinds on both sides of 'audit-event' in the
 * index's order (an appointment before it, notes and patients after) are all counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/util/ids';
import { waitingChanges, waitingChangesAfresh } from '../../renderer/db/waiting-changes';
import { MAYA } from '../../renderer/db/test-support';
import { Device, newClinic, startServer } from './harness';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

describe('changes waiting to upload', () => {
  it('stays right through edits, a lost acknowledgement, pushes and audit events', async () => {
    const { clinic, enroll } = await newClinic(server.url);
    const laptop = await Device.create('laptop', clinic, server.url, enroll);
    const { store, db } = laptop;
    try {
      expect(await waitingChanges(db)).toBe(0);
      const patientId = uuidv7();
      const note = await store.create('note', {
        patientId,
        templateId: 'soap',
        title: 'Session',
        sections: { subjective: 'Arrived' },
        timeline: [],
      });
      for (const text of ['Arrived calm', 'Arrived calm, slept'])
        await store.update('note', note.id, () => ({ sections: { subjective: text } }));
      await store.create('appointment', {
        patientId,
        clinicianId: clinic.user.id,
        start: '2026-12-08T15:00:00.000Z',
        durationMinutes: 60,
        visitKind: 'integration',
        cancelled: false,
      });
      await store.audit('view', { recordKind: 'note', recordId: note.id, patientId });
      expect(await waitingChanges(db)).toBe(2); // the note (3 writes) and the appointment

      // The server stores the push but its answer is lost: nothing is acknowledged yet.
      laptop.loseNextPushResponse = true;
      expect(await laptop.sync()).toBe(false);
      expect(await waitingChanges(db)).toBe(2);
      await store.update('note', note.id, () => ({ sections: { subjective: 'Slept well' } }));
      expect(await waitingChanges(db)).toBe(2);

      expect(await laptop.sync()).toBe(true);
      expect(await waitingChanges(db)).toBe(0);

      await store.update('note', note.id, () => ({ sections: { subjective: 'Slept, ate' } }));
      await store.audit('view', { recordKind: 'note', recordId: note.id, patientId });
      expect(await waitingChanges(db)).toBe(1);
      expect(await laptop.sync()).toBe(true);
      expect(await waitingChanges(db)).toBe(0);

      // Rows only added between counts: the new rows are looked at, not every key again, and the
      // answer is the one a count from scratch gives.
      const patients = [];
      for (let i = 0; i < 3; i++) {
        patients.push(await store.create('patient', { ...MAYA, firstName: `Maya ${i}` }));
        expect(await waitingChanges(db)).toBe(i + 1);
      }
      await store.update('note', note.id, () => ({
        sections: { subjective: 'Slept, ate, walked' },
      }));
      await store.update('patient', patients[0]!.id, () => ({ phone: '555 0100' }));
      await store.audit('view', { recordKind: 'note', recordId: note.id, patientId });
      expect(await waitingChanges(db)).toBe(4);
      expect(await waitingChangesAfresh(db)).toBe(4);
      await store.update('patient', patients[1]!.id, () => ({ phone: '555 0101' }));
      expect(await waitingChanges(db)).toBe(4);
      expect(await laptop.sync()).toBe(true);
      expect(await waitingChanges(db)).toBe(0);
    } finally {
      await laptop.dispose();
    }
  });
});
