/**
 * A clinic's own note templates (Settings → Note templates): imported from a JSON file, or
 * duplicated from any template and edited, then stored as note-template records so they sync to
 * every computer without a rebuild. Templates are never deleted: notes written from one keep
 * needing its labels, so "retire" only stops offering it for new notes, and its key stays taken.
 */
import type { NoteTemplate, NoteTemplateBody } from '../../shared/model';
import { RuleError } from '../../shared/rules/errors';
import { parseNoteTemplate, validateNoteTemplate } from '../../shared/rules/note-templates';
import type { RecordStore } from './record-store';

/** Far above any real template (the bundled ones are under 3 KB); stops a wrong file early. */
export const MAX_TEMPLATE_FILE_BYTES = 200_000;

/** The template was refused; `problems` are sentences for the person importing or editing it. */
export class TemplateProblemsError extends RuleError {
  constructor(readonly problems: string[]) {
    super('note-template.invalid', problems.join(' '));
  }
}

/** Every key a new template may not use: bundled ones and all of the clinic's, retired or not. */
export function takenTemplateKeys(
  bundled: readonly Pick<NoteTemplateBody, 'templateKey'>[],
  clinic: readonly Pick<NoteTemplate, 'templateKey'>[],
): Set<string> {
  return new Set([...bundled, ...clinic].map((t) => t.templateKey));
}

/** Import a template from a file's text. Nothing is stored unless the whole file is valid. */
export async function importNoteTemplate(
  store: RecordStore,
  fileText: string,
  takenKeys: Iterable<string>,
): Promise<NoteTemplate> {
  if (fileText.length > MAX_TEMPLATE_FILE_BYTES)
    throw new TemplateProblemsError([
      'This file is too large to be a note template. Choose the .json file exported for the template.',
    ]);
  const check = parseNoteTemplate(fileText, { existingKeys: takenKeys });
  if (!check.ok) throw new TemplateProblemsError(check.problems);
  return store.create('note-template', check.template);
}

/**
 * Save a template from the editor: a new one (a duplicate) when `id` is absent, else an edit of
 * the clinic's own template. An edit keeps the template's key, so notes written from it still
 * find it; sections a note holds but the template no longer lists stay readable (templateOf).
 */
export async function saveClinicTemplate(
  store: RecordStore,
  input: { id?: string; body: NoteTemplateBody; takenKeys: Iterable<string> },
): Promise<NoteTemplate> {
  const taken = new Set(input.takenKeys);
  if (input.id) {
    const current = await store.get('note-template', input.id);
    if (!current) throw new RuleError('not-found', 'That template could not be found.');
    if (current.templateKey !== input.body.templateKey)
      throw new RuleError(
        'note-template.key-fixed',
        'A template keeps its key once saved, so notes written from it still find it.',
      );
    taken.delete(current.templateKey);
  }
  const check = validateNoteTemplate(input.body, { existingKeys: taken });
  if (!check.ok) throw new TemplateProblemsError(check.problems);
  if (!input.id) return store.create('note-template', check.template);
  return store.update('note-template', input.id, () => check.template);
}

/** Stop offering the template for new notes; notes already written from it are unaffected. */
export async function retireNoteTemplate(store: RecordStore, id: string, now = new Date()) {
  return store.update('note-template', id, (current) => {
    if (current.retiredAt)
      throw new RuleError('note-template.retired', 'This template is already retired.');
    return { retiredAt: now.toISOString() };
  });
}

/** Offer a retired template for new notes again. */
export async function restoreNoteTemplate(store: RecordStore, id: string) {
  return store.update('note-template', id, () => ({ retiredAt: undefined }));
}

/** Section key for a label the clinic typed ("Safety plan" → "safety-plan"), unique in `taken`. */
export function sectionKeyFor(label: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base =
    label
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'section';
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}
