import { afterEach, describe, expect, it } from 'vitest';
import type { KatDatabase } from './database';
import { saveNoteDraft, signNote, startNote, timedEntry } from './notes-repository';
import { addMaya, freshClinic } from './test-support';

const template = {
  templateKey: 'integration-session',
  name: 'Integration session',
  sections: [
    { key: 'themes', label: 'Themes', hint: '' },
    { key: 'plan', label: 'Plan', hint: '' },
  ],
};
let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

describe('copy forward (issue 16 point 7)', () => {
  it('starts a new draft with the previous signed note’s sections, marked, without its live lines', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const maya = await addMaya(c.store);
    const first = await startNote(c.store, {
      patientId: maya.id,
      template,
      visitKind: 'integration',
    });
    await saveNoteDraft(c.store, first.id, first.updatedAt, {
      sections: { themes: 'Grief; reconnecting with brother', plan: 'Journal daily' },
      timeline: [timedEntry('tearful', new Date('2026-12-01T14:05:00Z'), [])],
    });
    await signNote(c.store, first.id);

    const next = await startNote(c.store, {
      patientId: maya.id,
      template,
      visitKind: 'integration',
      copyFrom: first.id,
    });
    expect(next).toMatchObject({
      status: 'draft',
      copiedFrom: first.id,
      sections: { themes: 'Grief; reconnecting with brother', plan: 'Journal daily' },
      timeline: [],
    });
    expect(next.encounterId).not.toBe(first.encounterId);
    // The source is untouched: still signed, same text.
    expect((await c.store.get('note', first.id))?.status).toBe('signed');
  });

  it('copies only a signed note of the same patient and template', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const maya = await addMaya(c.store);
    const draft = await startNote(c.store, {
      patientId: maya.id,
      template,
      visitKind: 'integration',
    });
    const start = (copyFrom: string, t = template) =>
      startNote(c.store, { patientId: maya.id, template: t, visitKind: 'integration', copyFrom });
    await expect(start(draft.id)).rejects.toThrow(/Only a signed note/);
    await saveNoteDraft(c.store, draft.id, draft.updatedAt, {
      sections: { themes: 'Grief', plan: '' },
    });
    await signNote(c.store, draft.id);
    await expect(
      start(draft.id, { ...template, templateKey: 'soap', name: 'SOAP' }),
    ).rejects.toThrow(/same template/);
    const notes = await c.store.listByPatient('note', maya.id);
    expect(notes).toHaveLength(1); // nothing was created by the refusals
  });
});
