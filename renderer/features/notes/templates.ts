/**
 * Note templates: the bundled JSON files (resources/note-templates, read at build time) plus any a
 * clinic added as note-template records (Settings → Note templates), which win over a bundled one
 * with the same key.
 */
import { useMemo } from 'react';
import type { NoteTemplate, NoteTemplateBody, VisitKind } from '../../../shared/model';
import { listBundledNoteTemplates } from '../../../shared/rules/note-templates';
import { useRecordsOfKind } from '../../app/use-records';

const files = import.meta.glob('../../../resources/note-templates/*.json', {
  eager: true,
  import: 'default',
});
export const BUNDLED_NOTE_TEMPLATES: readonly NoteTemplateBody[] = listBundledNoteTemplates(files);

/** The clinic's own templates, retired ones included (undefined while loading). */
export function useClinicTemplates(): NoteTemplate[] | undefined {
  return useRecordsOfKind('note-template');
}

function merged(own: readonly NoteTemplateBody[]): NoteTemplateBody[] {
  const ownKeys = new Set(own.map((t) => t.templateKey));
  return [...BUNDLED_NOTE_TEMPLATES.filter((t) => !ownKeys.has(t.templateKey)), ...own];
}

/** Templates offered for a new note: bundled and the clinic's current ones (not retired). */
export function useNoteTemplates(): NoteTemplateBody[] {
  const clinicTemplates = useClinicTemplates();
  return useMemo(
    () =>
      merged(
        (clinicTemplates ?? []).filter((t) => t.status !== 'entered-in-error' && !t.retiredAt),
      ),
    [clinicTemplates],
  );
}

/** Every template a note may have been written from, retired ones included (for reading). */
export function useAllNoteTemplates(): NoteTemplateBody[] {
  const clinicTemplates = useClinicTemplates();
  return useMemo(
    () => merged((clinicTemplates ?? []).filter((t) => t.status !== 'entered-in-error')),
    [clinicTemplates],
  );
}

/**
 * A note's layout: its template's sections, then any section the note holds that the template no
 * longer lists (a clinic may edit its template after notes were written; no text is ever hidden).
 * A plain layout from the note's own section keys if the template is gone.
 */
export function templateOf(
  templates: readonly NoteTemplateBody[],
  templateId: string,
  sectionKeys: string[],
): NoteTemplateBody {
  const found = templates.find((t) => t.templateKey === templateId);
  const plain = (key: string) => ({ key, label: humanise(key), hint: '' });
  if (!found)
    return {
      templateKey: templateId,
      name: templateId,
      format: 'custom',
      sections: sectionKeys.map(plain),
      liveCharting: false,
      quickTags: [],
    };
  const listed = new Set(found.sections.map((s) => s.key));
  const extra = sectionKeys.filter((k) => !listed.has(k));
  return extra.length === 0
    ? found
    : { ...found, sections: [...found.sections, ...extra.map(plain)] };
}

const humanise = (key: string) => key.charAt(0).toUpperCase() + key.slice(1).replace(/-/g, ' ');

/** The template a note for this kind of visit usually starts from (a booked dosing visit → dosing). */
const VISIT_TEMPLATE: Partial<Record<VisitKind, string>> = {
  preparation: 'kap-preparation',
  dosing: 'dosing-session',
  maintenance: 'dosing-session',
  integration: 'integration-session',
};
export function templateForVisit(
  templates: readonly NoteTemplateBody[],
  visitKind: VisitKind,
): NoteTemplateBody | undefined {
  const key = VISIT_TEMPLATE[visitKind] ?? 'soap';
  return templates.find((t) => t.templateKey === key) ?? templates[0];
}
