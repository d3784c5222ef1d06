/**
 * Search within one patient's chart: notes (title, sections, live-charting lines), addenda and
 * integration summaries, already decrypted in memory. Nothing here builds a stored index, so no
 * plaintext ever reaches disk (ARCHITECTURE.md, "Keys never leave in the clear").
 * Case- and accent-insensitive ("cafe" finds "Café"); every word must appear somewhere in the
 * record; "quoted words" must appear together. Highlights are ranges into the snippet text, so
 * the UI renders them without HTML.
 */
import type { RecordStatus } from '../model/common';
import type { IntegrationSummary } from '../model/integration';
import type { Addendum, SessionNote } from '../model/note';

export type SearchableChart = {
  notes?: readonly SessionNote[];
  addenda?: readonly Addendum[];
  summaries?: readonly IntegrationSummary[];
};

export type HighlightRange = { start: number; end: number };

export type Snippet = {
  /** Which part of the record: 'title', 'section:plan', 'timeline:<entry id>', 'insights', … */
  field: string;
  fieldLabel: string;
  /** When the matched line was charted, for live-charting lines. */
  at?: string;
  /** An excerpt of the field, whitespace collapsed, with "…" where it was cut. */
  text: string;
  highlights: HighlightRange[];
};

export type ChartSearchHit = {
  recordId: string;
  kind: 'note' | 'addendum' | 'integration-summary';
  /** For an addendum: the record it amends. */
  targetId?: string;
  title: string;
  /** When the record was written (ISO instant). */
  date: string;
  status: RecordStatus;
  score: number;
  snippet: Snippet;
  /** Labels of every field that matched, best first. */
  matchedFields: string[];
};

export type ChartSearchOptions = {
  limit?: number;
  /** Label of a note section from its template; the key, humanised, when not given. */
  sectionLabel?: (templateId: string, key: string) => string | undefined;
};

type Field = { field: string; label: string; text: string; weight: number; at?: string };
type Doc = Omit<ChartSearchHit, 'score' | 'snippet' | 'matchedFields'> & { fields: Field[] };

const SNIPPET_CHARS = 160;
const LEAD_CHARS = 40;
const MAX_COUNTED = 5;
/** Entered-in-error records stay findable but are not to be relied on, so they rank lower. */
const IN_ERROR_FACTOR = 0.5;

export function searchChart(
  chart: SearchableChart,
  query: string,
  options: ChartSearchOptions = {},
): ChartSearchHit[] {
  const terms = parseQuery(query);
  if (terms.length === 0) return [];
  const hits: ChartSearchHit[] = [];
  for (const doc of documents(chart, options)) {
    const hit = matchDoc(doc, terms);
    if (hit) hits.push(hit);
  }
  hits.sort(
    (a, b) =>
      b.score - a.score ||
      Date.parse(b.date) - Date.parse(a.date) ||
      a.recordId.localeCompare(b.recordId),
  );
  return hits.slice(0, options.limit ?? 50);
}

/** Folded search terms: words, and "quoted phrases" kept whole. */
export function parseQuery(query: string): string[] {
  const terms = new Set<string>();
  const rest = fold(query).text.replace(/"([^"]*)"/g, (_, phrase: string) => {
    const p = collapse(phrase);
    if (p) terms.add(p);
    return ' ';
  });
  for (const word of rest.split(/\s+/)) {
    const w = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (w) terms.add(w);
  }
  return [...terms];
}

function documents(chart: SearchableChart, options: ChartSearchOptions): Doc[] {
  const label = (templateId: string, key: string) =>
    options.sectionLabel?.(templateId, key) ?? humanise(key);
  const notes = (chart.notes ?? []).map<Doc>((n) => ({
    recordId: n.id,
    kind: 'note',
    title: n.title || 'Note',
    date: n.createdAt,
    status: n.status,
    fields: [
      { field: 'title', label: 'Title', text: n.title, weight: 3 },
      ...Object.entries(n.sections).map(([key, text]) => ({
        field: `section:${key}`,
        label: label(n.templateId, key),
        text,
        weight: 1,
      })),
      ...n.timeline.map((e) => ({
        field: `timeline:${e.id}`,
        label: 'Live charting',
        at: e.at,
        text: [e.text, ...e.tags.filter((t) => !fold(e.text).text.includes(fold(t).text))].join(
          ' · ',
        ),
        weight: 1,
      })),
    ],
  }));
  const addenda = (chart.addenda ?? []).map<Doc>((a) => ({
    recordId: a.id,
    kind: 'addendum',
    targetId: a.targetId,
    title: 'Addendum',
    date: a.writtenAt,
    status: a.status,
    fields: [
      { field: 'text', label: 'Addendum', text: a.text, weight: 1 },
      { field: 'reason', label: 'Reason', text: a.reason, weight: 1 },
    ],
  }));
  const summaries = (chart.summaries ?? []).map<Doc>((s) => ({
    recordId: s.id,
    kind: 'integration-summary',
    title: 'Integration summary',
    date: s.createdAt,
    status: s.status,
    fields: [
      { field: 'themes', label: 'Themes', text: s.themes.join(', '), weight: 2 },
      { field: 'insights', label: 'Insights', text: s.insights, weight: 1 },
      { field: 'emotions', label: 'Emotions', text: s.emotions, weight: 1 },
      { field: 'bodySensations', label: 'Body sensations', text: s.bodySensations, weight: 1 },
      { field: 'goals', label: 'Goals', text: s.goals, weight: 1 },
      { field: 'practices', label: 'Practices', text: s.practices.join(', '), weight: 1 },
      { field: 'nextSteps', label: 'Next steps', text: s.nextSteps, weight: 1 },
      { field: 'clinicianNotes', label: 'Clinician notes', text: s.clinicianNotes, weight: 1 },
    ],
  }));
  return [...notes, ...addenda, ...summaries];
}

type FieldMatch = { field: Field; folded: Folded; termsFound: number; score: number };

function matchDoc(doc: Doc, terms: readonly string[]): ChartSearchHit | null {
  const found = new Set<string>();
  const matches: FieldMatch[] = [];
  for (const field of doc.fields) {
    const text = collapse(field.text);
    if (!text) continue;
    const folded = fold(text);
    let termsFound = 0;
    let score = 0;
    for (const term of terms) {
      const at = occurrences(folded.text, term);
      if (at.length === 0) continue;
      found.add(term);
      termsFound++;
      for (const i of at.slice(0, MAX_COUNTED))
        score += field.weight * (isWordStart(folded.text, i) ? 2 : 1);
    }
    if (termsFound > 0) {
      if (termsFound === terms.length && terms.length > 1) score += 2 * field.weight;
      matches.push({ field: { ...field, text }, folded, termsFound, score });
    }
  }
  if (found.size < terms.length) return null;
  matches.sort((a, b) => b.termsFound - a.termsFound || b.score - a.score);
  const best = matches[0]!;
  const total = matches.reduce((s, m) => s + m.score, 0);
  const { fields: _fields, ...meta } = doc;
  return {
    ...meta,
    score: doc.status === 'entered-in-error' ? total * IN_ERROR_FACTOR : total,
    snippet: snippet(best.field, best.folded, terms),
    matchedFields: [...new Set(matches.map((m) => m.field.label))],
  };
}

function snippet(field: Field, folded: Folded, terms: readonly string[]): Snippet {
  const ranges = mergeRanges(
    terms.flatMap((t) =>
      occurrences(folded.text, t).map((i) => ({
        start: folded.starts[i]!,
        end: folded.ends[i + t.length - 1]!,
      })),
    ),
  );
  const text = field.text;
  const first = ranges[0] ?? { start: 0, end: 0 };
  let from = Math.max(0, first.start - LEAD_CHARS);
  let to = Math.min(text.length, Math.max(from + SNIPPET_CHARS, first.end));
  if (to - from < SNIPPET_CHARS) from = Math.max(0, to - SNIPPET_CHARS);
  // cut at spaces so the excerpt neither starts nor ends mid-word, never inside the first match
  const space = text.indexOf(' ', from);
  if (from > 0 && space !== -1 && space < first.start) from = space + 1;
  const lastSpace = text.lastIndexOf(' ', to);
  if (to < text.length && lastSpace > Math.max(from, first.end)) to = lastSpace;
  const prefix = from > 0 ? '…' : '';
  const suffix = to < text.length ? '…' : '';
  const highlights = ranges
    .filter((r) => r.start >= from && r.end <= to)
    .map((r) => ({ start: r.start - from + prefix.length, end: r.end - from + prefix.length }));
  return {
    field: field.field,
    fieldLabel: field.label,
    ...(field.at ? { at: field.at } : {}),
    text: prefix + text.slice(from, to) + suffix,
    highlights,
  };
}

function occurrences(haystack: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length))
    out.push(i);
  return out;
}

const isWordStart = (text: string, i: number) => i === 0 || !/[\p{L}\p{N}]/u.test(text[i - 1]!);

function mergeRanges(ranges: HighlightRange[]): HighlightRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: HighlightRange[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/** Folded text, and for each of its code units the range of the original it came from. */
type Folded = { text: string; starts: number[]; ends: number[] };

/** Letters that do not decompose into a base letter and a mark. */
const SPECIAL: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ı: 'i',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
};

function foldChar(ch: string): string {
  const lower = ch.toLowerCase();
  return SPECIAL[lower] ?? lower.normalize('NFD').replace(/\p{M}/gu, '');
}

function fold(s: string): Folded {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  for (const ch of s) {
    const end = i + ch.length;
    const f = foldChar(ch);
    // a lone combining mark joins the letter before it, so highlights cover the whole glyph
    if (f === '' && ends.length > 0) ends[ends.length - 1] = end;
    for (let k = 0; k < f.length; k++) {
      text += f[k];
      starts.push(i);
      ends.push(end);
    }
    i = end;
  }
  return { text, starts, ends };
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** "set-and-setting" → "Set and setting". */
const humanise = (key: string) => {
  const words = key.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};
