import { afterEach, describe, expect, it } from 'vitest';
import type { KatDatabase } from './database';
import { saveNoteDraft, signNote, startNote } from './notes-repository';
import {
  conflictsOfNote,
  notesInConflict,
  resolveNoteConflict,
} from './notes-repository-conflicts';
import { RecordStore } from './record-store';
import { addMaya, freshClinic } from './test-support';

const template = {
  templateKey: 'soap',
  name: 'SOAP note',
  sections: [{ key: 'subjective', label: 'Subjective', hint: '' }],
};
let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

/** A draft edited here, and the copy sync keeps of the other computer's concurrent edit. */
async function setup() {
  const c = await freshClinic();
  opened.push(c.db);
  const patient = await addMaya(c.store);
  const started = await startNote(c.store, {
    patientId: patient.id,
    template,
    visitKind: 'integration',
  });
  const original = await saveNoteDraft(c.store, started.id, started.updatedAt, {
    sections: { subjective: 'Typed on the office computer' },
  });
  const { kind: _k, id: _i, status: _s, createdAt: _c, updatedAt: _u, ...body } = original;
  const copy = await c.store.create('note', {
    ...body,
    sections: { subjective: 'Typed on the laptop' },
    conflictWith: original.id,
  });
  return { ...c, original, copy };
}

describe('note conflict copies', () => {
  it('pairs each open copy with its original, from either side, and flags both drafts', async () => {
    const { store, original, copy } = await setup();
    const notes = await store.listKind('note');
    expect(conflictsOfNote(notes, original.id).map((c) => c.copy.id)).toEqual([copy.id]);
    expect(conflictsOfNote(notes, copy.id).map((c) => c.originalId)).toEqual([original.id]);
    expect(notesInConflict(notes)).toEqual(new Set([original.id, copy.id]));
  });

  it('keeping the original marks the copy entered in error with a reason; both stay readable', async () => {
    const { store, original, copy } = await setup();
    const setAside = await resolveNoteConflict(store, copy.id, 'original');
    expect(setAside.status).toBe('entered-in-error');
    expect(setAside.enteredInError?.reason).toMatch(/other version was kept/);
    expect(setAside.sections.subjective).toBe('Typed on the laptop');
    expect((await store.get('note', original.id))?.status).toBe('draft');
    expect(notesInConflict(await store.listKind('note')).size).toBe(0);
    await expect(resolveNoteConflict(store, copy.id, 'copy')).rejects.toThrow(/already set aside/);
  });

  it('keeping the copy sets the original aside and unlinks the copy, which can then be signed', async () => {
    const { store, original, copy } = await setup();
    const kept = await resolveNoteConflict(store, copy.id, 'copy');
    expect(kept.conflictWith).toBeUndefined();
    expect(kept.status).toBe('draft');
    const old = await store.get('note', original.id);
    expect(old?.status).toBe('entered-in-error');
    expect(old?.sections.subjective).toBe('Typed on the office computer');
    expect(notesInConflict(await store.listKind('note')).size).toBe(0);
    expect((await signNote(store, copy.id)).status).toBe('signed');
  });

  it('never sets aside a signed original: keep both instead', async () => {
    const { store, original, copy } = await setup();
    await signNote(store, original.id);
    await expect(resolveNoteConflict(store, copy.id, 'copy')).rejects.toThrow(/signed and final/);
    expect((await store.get('note', copy.id))?.conflictWith).toBe(original.id);
    const both = await resolveNoteConflict(store, copy.id, 'both');
    expect(both.conflictWith).toBeUndefined();
    expect((await store.get('note', original.id))?.status).toBe('signed');
  });

  it('lets only the author choose', async () => {
    const { store, db, session, copy } = await setup();
    const colleague = new RecordStore(db, {
      ...session,
      user: { ...session.user, id: '01936f3e-0000-7000-8000-000000000001' },
    });
    await expect(resolveNoteConflict(colleague, copy.id, 'original')).rejects.toThrow(
      /Only the author/,
    );
    expect((await store.get('note', copy.id))?.status).toBe('draft');
  });
});
