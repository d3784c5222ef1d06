/**
 * The bench's README writer touches only its own marked section (issue 20: a results table once
 * ended up spliced into the Development commands table, which then no longer rendered).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCH_SECTION_END, BENCH_SECTION_START, writeBenchSection } from '../bench/readme-section';
import { type Row, markdownTable } from '../bench/report';

const fixture = readFileSync('tests/unit/fixtures/readme-with-bench-section.md', 'utf8');

const rows: Row[] = [
  {
    benchmark: 'cold start: navigation → sign-in screen interactive (2,000 patients)',
    ours: '640 ms',
    baseline: '—',
    ratio: '',
    goal: '< 1 s',
    met: true,
  },
  {
    benchmark: 'a figure with a | pipe in it',
    ours: '2 ms',
    baseline: '1 ms',
    ratio: '2.00×',
    goal: '≤ 1.4×',
    met: false,
  },
];

/** Every Markdown table in `text`: its rows' cell counts (a pipe escaped as `\|` is no separator). */
function tables(text: string): number[][] {
  const out: number[][] = [];
  let current: number[] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('|')) {
      const cells = line.replace(/\\\|/g, '').split('|').length - 2;
      (current ??= []).push(cells);
    } else if (current) {
      out.push(current);
      current = undefined;
    }
  }
  if (current) out.push(current);
  return out;
}

const outside = (text: string) =>
  text.slice(0, text.indexOf(BENCH_SECTION_START)) + text.slice(text.indexOf(BENCH_SECTION_END));

describe('the bench README section', () => {
  it('replaces only what is between its markers; the rest stays byte for byte', () => {
    const r = writeBenchSection(fixture, `Latest full run:\n\n${markdownTable(rows)}`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(outside(r.text)).toBe(outside(fixture));
    expect(r.text).toContain('cold start: navigation');
    expect(r.text).not.toContain('old figure');
    // The Development table keeps two columns and its bench row; the results table has six.
    expect(tables(r.text)).toEqual([
      [2, 2, 2, 2],
      [6, 6, 6, 6],
    ]);
    expect(r.text).toContain('| `npm run bench` | benchmarks against peers and raw baselines |');
  });

  it('writes the same README twice over (no blank lines pile up)', () => {
    const body = markdownTable(rows);
    const once = writeBenchSection(fixture, body);
    if (!once.ok) throw new Error(once.why);
    const twice = writeBenchSection(once.text, body);
    expect(twice).toEqual(once);
  });

  it('writes nothing when its markers are missing, doubled or out of order', () => {
    const body = markdownTable(rows);
    const cases = [
      fixture.replace(BENCH_SECTION_START, ''),
      fixture.replace(BENCH_SECTION_END, ''),
      fixture.replace(BENCH_SECTION_END, `${BENCH_SECTION_END}\n${BENCH_SECTION_START}`),
      fixture
        .replace(BENCH_SECTION_START, 'X')
        .replace(BENCH_SECTION_END, BENCH_SECTION_START)
        .replace('X', BENCH_SECTION_END),
    ];
    for (const readme of cases) expect(writeBenchSection(readme, body).ok).toBe(false);
    expect(writeBenchSection(fixture, `${BENCH_SECTION_END}\n${body}`).ok).toBe(false);
  });

  it('the root README has the section once and every table in it is whole', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const t of tables(readme)) expect(new Set(t).size, `table rows: ${t.join(', ')}`).toBe(1);
    expect(readme.split(BENCH_SECTION_START).length).toBe(2);
    expect(readme.split(BENCH_SECTION_END).length).toBe(2);
  });
});
