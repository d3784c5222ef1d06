/**
 * Conflict copies of notes. When two computers edited one draft before either saw the other's
 * change, sync keeps both (renderer/sync/merge.ts, SYNC.md rule 4): the later edit keeps the note's
 * id and the other becomes a draft "copy" whose `conflictWith` names it. The author then chooses.
 * Nothing is deleted (signed-is-final lifecycle): the version not kept is marked entered in error,
 * with a reason, and stays readable in the chart.
 */
import type { SessionNote } from '../../shared/model';
import { RuleError } from '../../shared/rules/errors';
import { hlcTime } from '../../shared/sync/hlc';
import type { RecordStore } from './record-store';

/** When a version was last saved, from its clock stamp (a copy shares its original's start). */
export const lastEditedAt = (n: SessionNote) => new Date(hlcTime(n.updatedAt)).toISOString();

/** A copy still waiting for its author's choice. */
export const isOpenConflictCopy = (n: SessionNote) => n.status === 'draft' && !!n.conflictWith;

/** Each open copy with the note it conflicts with, for the note `noteId` (as either side). */
export function conflictsOfNote(
  notes: readonly SessionNote[],
  noteId: string,
): { copy: SessionNote; originalId: string }[] {
  return notes
    .filter(isOpenConflictCopy)
    .filter((c) => c.id === noteId || c.conflictWith === noteId)
    .map((copy) => ({ copy, originalId: copy.conflictWith! }));
}

/** Ids of the drafts involved in an open conflict: the copies and their originals. */
export function notesInConflict(notes: readonly SessionNote[]): Set<string> {
  const byId = new Map(notes.map((n) => [n.id, n]));
  const out = new Set<string>();
  for (const copy of notes.filter(isOpenConflictCopy)) {
    out.add(copy.id);
    if (byId.get(copy.conflictWith!)?.status === 'draft') out.add(copy.conflictWith!);
  }
  return out;
}

/**
 * The author's choice for one conflict copy:
 * - 'original': keep the note the copy conflicts with; the copy is marked entered in error.
 * - 'copy': keep the copy; the original (a draft) is marked entered in error and the copy stops
 *   pointing at it. A signed original is final and cannot be set aside: keep both instead.
 * - 'both': keep both as separate notes (the copy stops pointing at the original).
 * Safe to repeat after an interruption: a side already marked is left as it is.
 */
export async function resolveNoteConflict(
  store: RecordStore,
  copyId: string,
  keep: 'original' | 'copy' | 'both',
): Promise<SessionNote> {
  const copy = await store.get('note', copyId);
  if (!copy || !copy.conflictWith)
    throw new RuleError('not-found', 'That conflicting version could not be found.');
  if (copy.createdBy !== store.session.user.id)
    throw new RuleError(
      'note.conflict-not-author',
      'Only the author of this note can choose between its two versions.',
    );
  if (copy.status !== 'draft')
    throw new RuleError(
      'note.conflict-resolved',
      'This version was already set aside or signed, so there is nothing left to choose.',
    );
  const original = await store.get('note', copy.conflictWith);

  if (keep === 'original') {
    if (!original)
      throw new RuleError(
        'note.conflict-missing',
        'The other version has not reached this computer yet. Sync, then choose again.',
      );
    return store.markEnteredInError(
      'note',
      copy.id,
      'Two versions were edited on different computers; the other version was kept.',
    );
  }
  if (keep === 'copy' && original && original.status !== 'entered-in-error') {
    if (original.status === 'signed')
      throw new RuleError(
        'note.conflict-signed',
        'The other version is signed and final, so it cannot be set aside. Keep both instead, ' +
          'then sign this one or copy what matters into an addendum.',
      );
    await store.markEnteredInError(
      'note',
      original.id,
      'Two versions were edited on different computers; the other version was kept.',
    );
  }
  return store.update('note', copy.id, () => ({ conflictWith: undefined }));
}
