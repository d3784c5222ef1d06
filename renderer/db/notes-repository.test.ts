import { afterEach, describe, expect, it } from 'vitest';
import type { KatDatabase } from './database';
import {
  addNoteAddendum,
  markNoteEnteredInError,
  saveIntegrationSummary,
  saveIntegrationSummaryDraft,
  saveNoteDraft,
  signNote,
  startNote,
  timedEntry,
  unsignedNotesOf,
} from './notes-repository';
import { ConcurrentEditError } from './record-store';
import { addMaya, freshClinic } from './test-support';

const template = {
  templateKey: 'dosing-session',
  name: 'Dosing session',
  sections: [
    { key: 'arrival', label: 'Arrival', hint: '' },
    { key: 'recovery', label: 'Recovery', hint: '' },
  ],
};
let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

async function setup() {
  const c = await freshClinic();
  opened.push(c.db);
  const patient = await addMaya(c.store);
  const note = await startNote(c.store, { patientId: patient.id, template, visitKind: 'dosing' });
  return { ...c, patient, note };
}

describe('notes repository', () => {
  it('starts a note in a new visit with the template sections empty', async () => {
    const { store, note, patient } = await setup();
    expect(note.status).toBe('draft');
    expect(Object.keys(note.sections)).toEqual(['arrival', 'recovery']);
    const visit = await store.get('encounter', note.encounterId!);
    expect(visit).toMatchObject({ visitKind: 'dosing', patientId: patient.id });
  });

  it('autosaves over the version it saw and refuses to overwrite a newer save from elsewhere', async () => {
    const { store, note } = await setup();
    const first = await saveNoteDraft(store, note.id, note.updatedAt, {
      sections: { arrival: 'Calm, intention: rest', recovery: '' },
    });
    // a second window still holds the original version
    await expect(
      saveNoteDraft(store, note.id, note.updatedAt, {
        sections: { arrival: 'Other window text', recovery: '' },
      }),
    ).rejects.toBeInstanceOf(ConcurrentEditError);
    expect((await store.get('note', note.id))?.sections.arrival).toBe('Calm, intention: rest');
    const line = timedEntry('tearful', new Date('2026-03-04T14:05:00Z'), ['tearful']);
    const second = await saveNoteDraft(store, note.id, first.updatedAt, { timeline: [line] });
    expect(second.timeline).toEqual([line]);
  });

  it('refuses to sign an empty note, then signs and locks a charted one', async () => {
    const { store, note } = await setup();
    await expect(signNote(store, note.id)).rejects.toThrow(/nothing written/);
    const saved = await saveNoteDraft(store, note.id, note.updatedAt, {
      sections: { arrival: 'Arrived with partner', recovery: '' },
    });
    const signed = await signNote(store, note.id);
    expect(signed.status).toBe('signed');
    expect(signed.signature?.contentHash).toBeTruthy();
    await expect(
      saveNoteDraft(store, note.id, signed.updatedAt, {
        sections: { arrival: 'changed', recovery: '' },
      }),
    ).rejects.toThrow(/no longer a draft/);
    expect(saved.updatedAt).not.toBe(signed.updatedAt);
  });

  it('adds a signed addendum to a signed note and keeps the original unchanged', async () => {
    const { store, note } = await setup();
    await saveNoteDraft(store, note.id, note.updatedAt, {
      sections: { arrival: 'Arrived alone', recovery: '' },
    });
    await expect(addNoteAddendum(store, note.id, 'x', 'y')).rejects.toThrow(/signed records/);
    await signNote(store, note.id);
    const addendum = await addNoteAddendum(
      store,
      note.id,
      'Partner arrived 10 minutes later',
      'Late information',
    );
    expect(addendum).toMatchObject({ status: 'signed', targetId: note.id, targetKind: 'note' });
    expect((await store.get('note', note.id))?.sections.arrival).toBe('Arrived alone');
  });

  it('marks a note entered in error only with a reason', async () => {
    const { store, note } = await setup();
    await expect(markNoteEnteredInError(store, note.id, '  ')).rejects.toThrow(/why/);
    const marked = await markNoteEnteredInError(store, note.id, 'Wrong patient');
    expect(marked.status).toBe('entered-in-error');
  });

  it('lists only the author’s own drafts older than the alert threshold', async () => {
    const { store, note } = await setup();
    const later = new Date(Date.parse(note.createdAt) + 3 * 86_400_000);
    const justBefore = new Date(later.getTime() - 60_000);
    const me = store.session.user.id;
    expect(unsignedNotesOf([note], me, later, 3).map((n) => n.id)).toEqual([note.id]);
    expect(unsignedNotesOf([note], me, justBefore, 3)).toEqual([]);
    expect(unsignedNotesOf([note], 'someone-else', later, 3)).toEqual([]);
  });

  it('autosaves an integration summary only over the version it saw, and never once signed', async () => {
    const { store, patient } = await setup();
    const created = await saveIntegrationSummary(store, undefined, {
      patientId: patient.id,
      insights: 'Felt',
    } as never);
    const body = { ...created, insights: 'Felt forgiveness' };
    const saved = await saveIntegrationSummaryDraft(store, created.id, created.updatedAt, body);
    expect(saved.insights).toBe('Felt forgiveness');
    // a second window still holds the first version
    await expect(
      saveIntegrationSummaryDraft(store, created.id, created.updatedAt, { ...body, goals: 'x' }),
    ).rejects.toBeInstanceOf(ConcurrentEditError);
    expect((await store.get('integration-summary', created.id))?.goals).toBe('');
    await store.sign('integration-summary', created.id);
    const signed = await store.get('integration-summary', created.id);
    await expect(
      saveIntegrationSummaryDraft(store, created.id, signed!.updatedAt, body),
    ).rejects.toThrow(/no longer a draft/);
  });
});
