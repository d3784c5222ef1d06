/**
 * The bench writes its latest full-run table into the root README, but ONLY between its own two
 * markers, never anywhere else (issue 20: a hand splice once put the results table inside the
 * Development commands table, which stopped rendering). If the markers are missing, doubled or out
 * of order, nothing is written and the caller is told why.
 */
export const BENCH_SECTION_START =
  '<!-- bench:latest-full-run:start (written by `npm run bench`; edit outside the markers) -->';
export const BENCH_SECTION_END = '<!-- bench:latest-full-run:end -->';

export type SectionResult = { ok: true; text: string } | { ok: false; why: string };

const count = (text: string, part: string) => text.split(part).length - 1;

/** `readme` with the text between the markers replaced by `body`; the rest byte for byte unchanged. */
export function writeBenchSection(readme: string, body: string): SectionResult {
  if (body.includes('<!-- bench:'))
    return { ok: false, why: 'the section body must not contain a bench marker' };
  const starts = count(readme, BENCH_SECTION_START);
  const ends = count(readme, BENCH_SECTION_END);
  if (starts !== 1 || ends !== 1)
    return {
      ok: false,
      why: `expected one start and one end marker, found ${starts} and ${ends}`,
    };
  const from = readme.indexOf(BENCH_SECTION_START) + BENCH_SECTION_START.length;
  const to = readme.indexOf(BENCH_SECTION_END);
  if (to < from) return { ok: false, why: 'the end marker comes before the start marker' };
  // Blank lines around the body keep the table a block of its own in every Markdown renderer.
  return {
    ok: true,
    text: `${readme.slice(0, from)}\n\n${body.trim()}\n\n${readme.slice(to)}`,
  };
}
