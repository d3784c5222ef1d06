/**
 * Note templates are data (resources/note-templates/*.json), so a clinic can add its own without a
 * rebuild. This checks a template from a clinic's import and says in plain words what to fix,
 * duplicates one for editing, and lists the bundled ones. Pure: callers read the files.
 */
import { NoteTemplateBody } from '../model/settings';
import { RuleError } from './errors';

/** Bundled templates, in the order a therapist meets them in a course of treatment. */
export const BUNDLED_NOTE_TEMPLATE_FILES = [
  'kap-preparation.json',
  'dosing-session.json',
  'integration-session.json',
  'soap.json',
  'dap.json',
  'birp.json',
] as const;

export type TemplateCheck =
  { ok: true; template: NoteTemplateBody } | { ok: false; problems: string[] };

export type TemplateCheckOptions = { existingKeys?: Iterable<string> };

const KEY = /^[a-z0-9-]{2,60}$/;
const SECTION_KEY = /^[a-z0-9-]+$/;
const MAX_TAG = 40;

/** A template from imported JSON text. */
export function parseNoteTemplate(jsonText: string, options?: TemplateCheckOptions): TemplateCheck {
  let value: unknown;
  try {
    value = JSON.parse(jsonText);
  } catch (e) {
    const detail = e instanceof Error ? ` (${e.message})` : '';
    return {
      ok: false,
      problems: [
        `This is not valid JSON text${detail}. Export the template again or fix the text.`,
      ],
    };
  }
  return validateNoteTemplate(value, options);
}

/** A template from already-parsed JSON: every problem found, or the clean template. */
export function validateNoteTemplate(
  value: unknown,
  options?: TemplateCheckOptions,
): TemplateCheck {
  if (!isObject(value))
    return {
      ok: false,
      problems: ['A note template must be a JSON object with a name and sections.'],
    };
  const problems = [
    ...checkHeader(value, new Set(options?.existingKeys ?? [])),
    ...checkSections(value.sections),
    ...checkQuickTags(value.quickTags),
  ];
  if (value.liveCharting !== undefined && typeof value.liveCharting !== 'boolean')
    problems.push('"liveCharting" must be true or false.');
  if (problems.length > 0) return { ok: false, problems };

  const parsed = NoteTemplateBody.safeParse(normalise(value));
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.join(' › ') || 'Template'}: ${i.message}`),
    };
  return { ok: true, template: parsed.data };
}

function checkHeader(v: Record<string, unknown>, existingKeys: Set<string>): string[] {
  const out: string[] = [];
  const key = v.templateKey;
  if (typeof key !== 'string' || key.trim() === '')
    out.push('The template has no key. Add a "templateKey" such as "my-soap-note".');
  else if (!KEY.test(key))
    out.push(
      `The template key "${key}" may use only lowercase letters, digits and dashes, 2 to 60 ` +
        `characters (for example "${slug(key) || 'my-note'}").`,
    );
  else if (existingKeys.has(key))
    out.push(
      `A template with the key "${key}" already exists. Give this one its own key, or duplicate ` +
        'the existing template instead.',
    );
  if (typeof v.name !== 'string' || v.name.trim() === '') out.push('The template has no name.');
  else if (v.name.trim().length > 120) out.push('The template name is longer than 120 characters.');
  if (v.format !== undefined && typeof v.format !== 'string')
    out.push('The template format must be text, such as "soap".');
  else if (typeof v.format === 'string' && v.format.trim().length > 40)
    out.push('The template format is longer than 40 characters.');
  return out;
}

function checkSections(sections: unknown): string[] {
  if (!Array.isArray(sections) || sections.length === 0)
    return ['The template has no sections. Add at least one, each with a key and a label.'];
  const out: string[] = [];
  const firstWithKey = new Map<string, number>();
  sections.forEach((s: unknown, i) => {
    const n = i + 1;
    if (!isObject(s)) {
      out.push(`Section ${n} is not a section: give it a key, a label and a hint.`);
      return;
    }
    if (typeof s.key !== 'string' || s.key.trim() === '') out.push(`Section ${n} has no key.`);
    else if (!SECTION_KEY.test(s.key))
      out.push(
        `Section ${n}'s key "${s.key}" may use only lowercase letters, digits and dashes ` +
          `(for example "${slug(s.key) || 'notes'}").`,
      );
    else if (firstWithKey.has(s.key))
      out.push(
        `Sections ${firstWithKey.get(s.key)} and ${n} both use the key "${s.key}"; ` +
          'each section needs its own key.',
      );
    else firstWithKey.set(s.key, n);
    if (typeof s.label !== 'string' || s.label.trim() === '')
      out.push(`Section ${n} has no label (the heading shown above its text).`);
    if (s.hint !== undefined && typeof s.hint !== 'string')
      out.push(`Section ${n}'s hint must be text.`);
  });
  return out;
}

function checkQuickTags(tags: unknown): string[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) return ['Quick tags must be a list of short texts.'];
  const out: string[] = [];
  const seen = new Set<string>();
  tags.forEach((t: unknown, i) => {
    const n = i + 1;
    if (typeof t !== 'string' || t.trim() === '') out.push(`Quick tag ${n} is empty.`);
    else if (t.trim().length > MAX_TAG)
      out.push(`Quick tag ${n} ("${t.trim()}") is longer than ${MAX_TAG} characters.`);
    else if (seen.has(t.trim().toLowerCase()))
      out.push(`The quick tag "${t.trim()}" is listed twice.`);
    else seen.add(t.trim().toLowerCase());
  });
  return out;
}

/** Trimmed copy, so stray spaces from hand-edited JSON never reach the chart. */
function normalise(v: Record<string, unknown>): Record<string, unknown> {
  const trim = (x: unknown) => (typeof x === 'string' ? x.trim() : x);
  return {
    ...v,
    name: trim(v.name),
    format: trim(v.format) ?? 'custom',
    sections: (v.sections as Record<string, unknown>[]).map((s) => ({
      key: s.key,
      label: trim(s.label),
      hint: trim(s.hint),
    })),
    quickTags: Array.isArray(v.quickTags) ? v.quickTags.map(trim) : v.quickTags,
  };
}

/**
 * The bundled templates, given the parsed JSON files keyed by path or file name (as Vite's
 * `import.meta.glob(…, { eager: true, import: 'default' })` returns them). Listed in
 * BUNDLED_NOTE_TEMPLATE_FILES order, then any others by file name. A broken bundled file is a
 * build defect, so it throws instead of being skipped.
 */
export function listBundledNoteTemplates(files: Record<string, unknown>): NoteTemplateBody[] {
  const byName = Object.entries(files).map(([path, json]) => ({
    file: path.split('/').pop() ?? path,
    json,
  }));
  const rank = (file: string) => {
    const i = (BUNDLED_NOTE_TEMPLATE_FILES as readonly string[]).indexOf(file);
    return i === -1 ? BUNDLED_NOTE_TEMPLATE_FILES.length : i;
  };
  byName.sort((a, b) => rank(a.file) - rank(b.file) || a.file.localeCompare(b.file));
  const keys = new Set<string>();
  return byName.map(({ file, json }) => {
    const check = validateNoteTemplate(json, { existingKeys: keys });
    if (!check.ok)
      throw new RuleError(
        'note-template.bundled-invalid',
        `The bundled note template ${file} is broken: ${check.problems.join(' ')}`,
      );
    keys.add(check.template.templateKey);
    return check.template;
  });
}

/**
 * A copy to edit: same sections, hints, quick tags and live-charting setting, under a new key and
 * name ("Copy of …" unless given). Keys already in use are refused so two templates never collide.
 */
export function duplicateNoteTemplate(
  source: NoteTemplateBody,
  existingKeys: Iterable<string>,
  edits: { templateKey?: string; name?: string } = {},
): NoteTemplateBody {
  const taken = new Set(existingKeys);
  const templateKey = edits.templateKey ?? freeKey(source.templateKey, taken);
  const copy = {
    ...structuredCloneJson(source),
    templateKey,
    name: edits.name ?? `Copy of ${source.name}`.slice(0, 120),
  };
  const check = validateNoteTemplate(copy, { existingKeys: taken });
  if (!check.ok) throw new RuleError('note-template.invalid', check.problems.join(' '));
  return check.template;
}

/**
 * The template as a .json file another clinic can import: only the template's own fields (never
 * the record's ids, authors or clock), in the shape parseNoteTemplate reads back unchanged.
 */
export function noteTemplateFileText(template: NoteTemplateBody): string {
  const { templateKey, name, format, sections, liveCharting, quickTags } = template;
  const file = {
    templateKey,
    name,
    format,
    sections: sections.map(({ key, label, hint }) => ({ key, label, hint })),
    liveCharting,
    quickTags,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** "soap" → "soap-copy", then "soap-copy-2", … within the 60-character limit. */
function freeKey(base: string, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '-copy' : `-copy-${n}`;
    const key = base.slice(0, 60 - suffix.length) + suffix;
    if (!taken.has(key)) return key;
  }
}

function structuredCloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** A suggestion in the allowed shape: "Plan A" → "plan-a". */
function slug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
