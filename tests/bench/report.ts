/** The results table: one row per figure, as JSON and as Markdown (benchmark, ours, baseline, ratio, goal, met?). */
export type Row = {
  benchmark: string;
  ours: string;
  baseline: string;
  /** Printed as it reads against the goal: a speed-up (×), a share of raw, or blank. */
  ratio: string;
  goal: string;
  met: boolean | null;
};

export const ms = (x: number) => `${Math.round(x).toLocaleString('en-US')} ms`;
export const times = (x: number) => `${x.toFixed(2)}×`;

export function markdownTable(rows: readonly Row[]): string {
  const head = '| benchmark | ours | baseline | ratio | goal | met? |\n|---|---|---|---|---|---|';
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = rows.map(
    (r) =>
      `| ${[r.benchmark, r.ours, r.baseline, r.ratio, r.goal, r.met === null ? '—' : r.met ? 'yes' : '**no**'].map(cell).join(' | ')} |`,
  );
  return [head, ...lines].join('\n');
}

/** The functions with the most self time in the largest sync run, as Markdown bullets. */
export function profileText(
  f: { records: number; profiles: Record<string, [string, number][]> } | undefined,
): string {
  if (!f) return '';
  const part = (name: string) =>
    `- ${name} (${f.records} records), most self time: ` +
    (f.profiles[name] ?? [])
      .slice(0, 8)
      .map(([fn, t]) => `${fn} ${t} ms`)
      .join('; ');
  return `Where the time goes:\n\n${['oursPull', 'oursPush', 'pouchPull', 'pouchPush'].map(part).join('\n')}\n`;
}
