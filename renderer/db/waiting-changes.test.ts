/**
 * The header's "Changes waiting" counts what the clinician changed — one patient and one note
 * edited several times are 2 changes — not the outbox's rows (issue 14 point 7).
 */
import { describe, expect, it } from 'vitest';
import { addMaya, freshClinic } from './test-support';
import { waitingChanges } from './waiting-changes';

describe('changes waiting to upload', () => {
  it('counts the records changed, not the rows queued for them', async () => {
    const { db, store } = await freshClinic();
    await db.outbox.clear(); // the clinic's first sync went through
    expect(await waitingChanges(db)).toBe(0);
    const patient = await addMaya(store);
    const note = await store.create('note', {
      patientId: patient.id,
      templateId: 'soap',
      title: 'Session',
      sections: { subjective: 'Arrived' },
      timeline: [],
    });
    for (const text of ['Arrived calm', 'Arrived calm, slept', 'Arrived calm, slept well'])
      await store.update('note', note.id, () => ({ sections: { subjective: text } }));
    await store.update('patient', patient.id, () => ({ lastName: 'Okafor-Reid' }));
    await store.audit('view', { patientId: patient.id, recordId: note.id });
    expect(await db.outbox.count()).toBeGreaterThan(2);
    expect(await waitingChanges(db)).toBe(2);
  });
});
