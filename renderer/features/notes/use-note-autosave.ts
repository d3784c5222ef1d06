/**
 * The note editor's autosave: the shared editor autosave (app/use-autosave.ts) over a note draft,
 * each save going over the version the previous one wrote (saveNoteDraft).
 */
import type { SessionNote } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { type AutosaveTarget, useAutosave } from '../../app/use-autosave';
import { type NoteDraftChange, saveNoteDraft } from '../../db/notes-repository';

export type { SaveState } from '../../app/use-autosave';
export type NoteDraft = Required<NoteDraftChange>;

const pick = (n: SessionNote): NoteDraft => ({
  title: n.title,
  sections: n.sections,
  timeline: n.timeline,
});

export function useNoteAutosave(note: SessionNote) {
  const store = useStore();
  const target: AutosaveTarget<NoteDraft> = {
    // A note exists before its editor opens, so there is always a version to save over.
    save: (draft, basedOn) => saveNoteDraft(store, note.id, basedOn ?? note.updatedAt, draft),
    reload: async () => {
      const current = await store.get('note', note.id);
      return current && { value: pick(current), updatedAt: current.updatedAt };
    },
  };
  const initial = pick(note);
  const { value, ...rest } = useAutosave({
    initial,
    stored: initial,
    basedOn: note.updatedAt,
    target,
  });
  return { draft: value, ...rest };
}
