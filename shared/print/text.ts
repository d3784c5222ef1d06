/**
 * Plain-text helpers for printouts: line breaking by measured width, and the small structure
 * consent texts use (paragraphs separated by blank lines, "# " headings, "- " bullets).
 * Pure: width comes from a `measure` function, so the rules are testable without a PDF.
 */
import { FIELD_LINE } from '../rules/consent-fields';

export type Measure = (text: string) => number;

export type TextBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'bullets'; items: string[] }
  /** Where a form's field is filled in (a line `[[id]]`, shared/rules/consent-fields.ts). */
  | { kind: 'field'; id: string };

/** Characters a PDF text run cannot show (tabs become spaces; other controls are dropped). */
export function printable(text: string): string {
  return (
    text
      .normalize('NFC')
      .replace(/\t/g, '    ')
      // eslint-disable-next-line no-control-regex -- control characters are exactly what we remove
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f\u200b\ufeff]/g, '')
  );
}

/** Split a form's text into headings, paragraphs, bullet lists and fields (as screens show it). */
export function parseFormText(text: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    paragraph = [];
  };
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    const field = FIELD_LINE.exec(line);
    if (line === '') {
      endParagraph();
    } else if (field) {
      endParagraph();
      blocks.push({ kind: 'field', id: field[1]! });
    } else if (line.startsWith('# ')) {
      endParagraph();
      blocks.push({ kind: 'heading', text: line.slice(2).trim() });
    } else if (/^[-•*] /.test(line)) {
      endParagraph();
      const last = blocks.at(-1);
      const item = line.slice(2).trim();
      if (last?.kind === 'bullets') last.items.push(item);
      else blocks.push({ kind: 'bullets', items: [item] });
    } else {
      paragraph.push(line);
    }
  }
  endParagraph();
  return blocks;
}

/**
 * Break text into lines no wider than `maxWidth`. Breaks at spaces; a word too long for a line
 * breaks after a hyphen or slash if it has one, else between characters (hashes, device ids).
 * Newlines in the text are kept as line breaks; runs of spaces collapse to one.
 */
export function wrapText(text: string, maxWidth: number, measure: Measure): string[] {
  const lines: string[] = [];
  const space = measure(' ');
  for (const hardLine of printable(text).split('\n')) {
    const words = hardLine.split(/ +/).filter((w) => w !== '');
    let line = '';
    let width = 0;
    for (const word of words) {
      const w = measure(word);
      if (line !== '' && width + space + w <= maxWidth) {
        line += ` ${word}`;
        width += space + w;
        continue;
      }
      if (line !== '') lines.push(line);
      if (w <= maxWidth) {
        line = word;
        width = w;
        continue;
      }
      const pieces = breakWord(word, maxWidth, measure);
      lines.push(...pieces.slice(0, -1));
      line = pieces.at(-1)!;
      width = measure(line);
    }
    lines.push(line);
  }
  return lines;
}

function breakWord(word: string, maxWidth: number, measure: Measure): string[] {
  const pieces: string[] = [];
  let rest = word;
  while (measure(rest) > maxWidth && rest.length > 1) {
    let fit = 1;
    while (fit < rest.length && measure(rest.slice(0, fit + 1)) <= maxWidth) fit++;
    const soft = Math.max(rest.lastIndexOf('-', fit - 1), rest.lastIndexOf('/', fit - 1));
    const cut = soft > fit / 2 ? soft + 1 : fit;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}

/** Shorten a single line to fit, ending in an ellipsis (for header fields only, never body text). */
export function fitLine(text: string, maxWidth: number, measure: Measure): string {
  const clean = printable(text).replace(/\s+/g, ' ').trim();
  if (measure(clean) <= maxWidth) return clean;
  let end = clean.length;
  while (end > 1 && measure(`${clean.slice(0, end)}…`) > maxWidth) end--;
  return `${clean.slice(0, end).trimEnd()}…`;
}
