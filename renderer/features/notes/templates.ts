/**
 * Note templates: the bundled JSON files (resources/note-templates, read at build time) plus any a
 * clinic added as note-template records, which win over a bundled one with the same key.
 */
import { useMemo } from 'react';
import type { NoteTemplateBody } from '../../../shared/model';
import { listBundledNoteTemplates } from '../../../shared/rules/note-templates';
import { useRecordsOfKind } from '../../app/use-records';

const files = import.meta.glob('../../../resources/note-templates/*.json', {
  eager: true,
  import: 'default',
});
export const BUNDLED_NOTE_TEMPLATES: readonly NoteTemplateBody[] = listBundledNoteTemplates(files);

export function useNoteTemplates(): NoteTemplateBody[] {
  const clinicTemplates = useRecordsOfKind('note-template');
  return useMemo(() => {
    const own = (clinicTemplates ?? []).filter((t) => t.status !== 'entered-in-error');
    const ownKeys = new Set(own.map((t) => t.templateKey));
    return [...BUNDLED_NOTE_TEMPLATES.filter((t) => !ownKeys.has(t.templateKey)), ...own];
  }, [clinicTemplates]);
}

/** A note's template, or a plain layout from its section keys if the template is gone. */
export function templateOf(
  templates: readonly NoteTemplateBody[],
  templateId: string,
  sectionKeys: string[],
): NoteTemplateBody {
  return (
    templates.find((t) => t.templateKey === templateId) ?? {
      templateKey: templateId,
      name: templateId,
      format: 'custom',
      sections: sectionKeys.map((key) => ({ key, label: humanise(key), hint: '' })),
      liveCharting: false,
      quickTags: [],
    }
  );
}

const humanise = (key: string) => key.charAt(0).toUpperCase() + key.slice(1).replace(/-/g, ' ');
