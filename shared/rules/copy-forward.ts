/**
 * Copy forward (issue 16 point 7): a note started from the previous note of the same template for
 * the same patient. Copy-pasted documentation is a known risk (HHS OIG, OEI-01-11-00571, 2014: a
 * note must reflect the service given that day), so copying is the clinician's explicit choice,
 * only signed notes are copied (never another draft), live-charting lines are not (they are the
 * times of another session), and every section copied unchanged stays marked until it is edited.
 */
import type { SessionNote } from '../model';

type NoteLike = Pick<
  SessionNote,
  'id' | 'patientId' | 'templateId' | 'status' | 'sections' | 'signature' | 'updatedAt'
>;

/** The latest signed note of this template for this patient, if there is one. */
export function copyForwardSource<T extends NoteLike>(
  notes: readonly T[],
  patientId: string,
  templateId: string,
): T | undefined {
  return notes
    .filter(
      (n) => n.patientId === patientId && n.templateId === templateId && n.status === 'signed',
    )
    .sort((a, b) => signedAt(b).localeCompare(signedAt(a)))[0];
}

const signedAt = (n: NoteLike) => n.signature?.at ?? n.updatedAt;

/** The template's sections, each filled with the source's text (a section it lacks starts empty). */
export function copiedSections(
  templateKeys: readonly string[],
  source: Pick<SessionNote, 'sections'>,
): Record<string, string> {
  return Object.fromEntries(templateKeys.map((k) => [k, source.sections[k] ?? '']));
}

/** Sections still exactly as copied (and not empty): the ones to mark until someone edits them. */
export function unchangedCopiedSections(
  draft: Pick<SessionNote, 'sections'>,
  source: Pick<SessionNote, 'sections'>,
): string[] {
  return Object.keys(draft.sections).filter(
    (k) => (draft.sections[k] ?? '').trim() !== '' && draft.sections[k] === source.sections[k],
  );
}
