import { describe, expect, it } from 'vitest';
import { formatCalendarDate, formatInstant } from './format';
import { fitLine, parseFormText, printable, wrapText } from './text';

// One unit per character: easy to reason about line widths.
const measure = (s: string) => s.length;

describe('line breaking', () => {
  it('breaks at spaces and never exceeds the width', () => {
    const lines = wrapText('the quick brown fox jumps over the lazy dog', 10, measure);
    expect(lines).toEqual(['the quick', 'brown fox', 'jumps over', 'the lazy', 'dog']);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(10);
  });

  it('keeps every word, in order', () => {
    const text = 'Do not drive, ride a bike or use machinery until the next day after sleep.';
    expect(wrapText(text, 17, measure).join(' ')).toBe(text);
  });

  it('splits an over-long word after a hyphen if it can, else between characters', () => {
    expect(wrapText('Müller-Łukasiewicz', 10, measure)).toEqual(['Müller-', 'Łukasiewic', 'z']);
    const hash = `sha256:${'ab'.repeat(12)}`;
    const lines = wrapText(hash, 12, measure);
    expect(lines.join('')).toBe(hash);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(12);
  });

  it('keeps line breaks written in the text', () => {
    expect(wrapText('Jane Roe (patient)\nSam Okafor (witness)', 40, measure)).toEqual([
      'Jane Roe (patient)',
      'Sam Okafor (witness)',
    ]);
  });

  it('drops characters a PDF cannot show and composes accents', () => {
    expect(printable('Zoe\u0308\tRoe\u0000')).toBe('Zoë    Roe');
  });

  it('shortens a header line with an ellipsis', () => {
    expect(fitLine('Aspen Ridge Ketamine and Wellness', 12, measure)).toBe('Aspen Ridge…');
    expect(fitLine('Short', 12, measure)).toBe('Short');
  });
});

describe('form text structure', () => {
  it('reads headings, paragraphs and bullets as screens and paper show them', () => {
    const blocks = parseFormText(
      'Intro line one\nstill intro.\n\n# Risks\nMost pass.\n- Nausea\n- Dizziness\n\nAfter.',
    );
    expect(blocks).toEqual([
      { kind: 'paragraph', text: 'Intro line one still intro.' },
      { kind: 'heading', text: 'Risks' },
      { kind: 'paragraph', text: 'Most pass.' },
      { kind: 'bullets', items: ['Nausea', 'Dizziness'] },
      { kind: 'paragraph', text: 'After.' },
    ]);
  });
});

describe('dates on paper', () => {
  it('writes dates with month names and times in the clinic zone', () => {
    expect(formatCalendarDate('1984-03-07')).toBe('Mar 7, 1984');
    expect(formatInstant('2026-03-04T21:05:00Z', 'America/Denver')).toBe(
      'Mar 4, 2026, 2:05 PM MST',
    );
    expect(formatInstant('2026-07-04T21:05:00Z', 'America/Denver')).toBe(
      'Jul 4, 2026, 3:05 PM MDT',
    );
  });
});
