/**
 * Fields inside consent forms (issue 17 point 4): a template declares them (text, date, phone,
 * checkbox, initials) and places each with a line of its own, `[[field-id]]`, where it is filled in
 * on screen and printed on paper. The values are stored in the signed consent with their labels
 * and are part of its content hash, like the text itself.
 */
import type { FilledField, TemplateField } from '../model/consent';
import { RuleError } from './errors';

/** A line that is exactly a field marker. */
export const FIELD_LINE = /^\[\[\s*([a-z][a-z0-9-]{1,40})\s*\]\]$/;
const ANY_MARKER = /\[\[\s*([^[\]]*?)\s*\]\]/g;

/** Ids of the field markers in a text, in order. */
export function fieldMarkers(body: string): string[] {
  return [...body.matchAll(ANY_MARKER)].map((m) => m[1]!);
}

/**
 * Throws unless every declared field appears exactly once, on a line of its own, and every
 * marker names a declared field (checked when a template is saved).
 */
export function checkTemplateFields(
  title: string,
  body: string,
  fields: readonly TemplateField[] = [],
): void {
  const ids = fields.map((f) => f.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice)
    throw new RuleError(
      'consent.field-twice',
      `The form "${title}" declares the field "${twice}" twice. Give each field its own id.`,
    );
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  for (const line of lines) {
    const markers = fieldMarkers(line);
    if (markers.length === 0) continue;
    if (markers.length > 1 || !FIELD_LINE.test(line.trim()))
      throw new RuleError(
        'consent.field-line',
        `In "${title}", put each field marker on a line of its own: "${line.trim().slice(0, 60)}".`,
      );
  }
  const used = fieldMarkers(body);
  const unknown = used.filter((id) => !ids.includes(id));
  if (unknown.length > 0)
    throw new RuleError(
      'consent.field-unknown',
      `The form "${title}" places ${unknown.map((id) => `[[${id}]]`).join(', ')}, which is not ` +
        'one of its fields. Add the field, or remove the marker.',
    );
  const repeated = used.find((id, i) => used.indexOf(id) !== i);
  if (repeated)
    throw new RuleError(
      'consent.field-placed-twice',
      `The form "${title}" places [[${repeated}]] twice. Each field is filled in once.`,
    );
  const unplaced = fields.filter((f) => !used.includes(f.id));
  if (unplaced.length > 0)
    throw new RuleError(
      'consent.field-unplaced',
      `The form "${title}" has fields not placed in its text: ` +
        `${unplaced.map((f) => `"${f.label}" ([[${f.id}]])`).join(', ')}. Put each on a line of ` +
        'its own where the patient should fill it in.',
    );
}

/** "Escort's phone" → "escorts-phone", unique among `taken`. */
export function fieldIdFor(label: string, taken: readonly string[]): string {
  const base =
    label
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^[^a-z]+|-$/g, '')
      .slice(0, 34) || 'field';
  const id = base.length < 2 ? `${base}-field` : base;
  let n = 1;
  let candidate = id;
  while (taken.includes(candidate)) candidate = `${id}-${++n}`;
  return candidate;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PHONE_CHARS = /^[0-9+().\-\s]{7,25}$/;

/** Why a value is not acceptable for a field, in the patient's words; undefined if it is fine. */
export function fieldProblem(field: TemplateField, raw: string | undefined): string | undefined {
  const value = (raw ?? '').trim();
  if (field.type === 'checkbox') {
    if (field.required && value !== 'yes') return `Tick “${field.label}” to go on.`;
    return undefined;
  }
  if (value === '') return field.required ? `Fill in “${field.label}”.` : undefined;
  switch (field.type) {
    case 'date': {
      const m = DATE.exec(value);
      const d = m && new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
      return d && d.getUTCDate() === +m![3]!
        ? undefined
        : `“${field.label}” needs a date (year, month and day).`;
    }
    case 'phone':
      return PHONE_CHARS.test(value) && (value.match(/\d/g)?.length ?? 0) >= 7
        ? undefined
        : `“${field.label}” needs a phone number with at least 7 digits.`;
    case 'initials':
      return /^[\p{L}][\p{L}.\-' ]{0,7}$/u.test(value)
        ? undefined
        : `Write your initials for “${field.label}” (letters only, up to 8).`;
    default:
      return value.length > 200
        ? `“${field.label}” is too long (200 characters at most).`
        : undefined;
  }
}

/**
 * The values to sign: one per declared field, in order, trimmed; or a RuleError naming the first
 * problem. Values for fields the template does not declare are refused, not silently kept.
 */
export function fillFields(
  title: string,
  fields: readonly TemplateField[] = [],
  values: Readonly<Record<string, string>> = {},
): FilledField[] | undefined {
  const extra = Object.keys(values).filter((id) => !fields.some((f) => f.id === id));
  if (extra.length > 0)
    throw new RuleError(
      'consent.field-unknown',
      `"${title}" has no field ${extra.map((id) => `"${id}"`).join(', ')}.`,
    );
  if (fields.length === 0) return undefined;
  return fields.map((f) => {
    const problem = fieldProblem(f, values[f.id]);
    if (problem) throw new RuleError('consent.field-value', `${title}: ${problem}`);
    const value = (values[f.id] ?? '').trim();
    return {
      id: f.id,
      type: f.type,
      label: f.label,
      value: f.type === 'checkbox' ? (value === 'yes' ? 'yes' : 'no') : value,
    };
  });
}

/** A filled value as read on screen and paper ("Yes", "Mar 7, 2026", "—" for left empty). */
export function fieldValueText(f: Pick<FilledField, 'type' | 'value'>): string {
  if (f.type === 'checkbox') return f.value === 'yes' ? 'Yes' : 'No';
  if (f.value === '') return '—';
  if (f.type === 'date') {
    const m = DATE.exec(f.value);
    if (m) {
      const months = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
      return `${months[+m[2]! - 1]} ${+m[3]!}, ${m[1]}`;
    }
  }
  return f.value;
}
