/**
 * Tables for printouts: label/value rows (a signing record, a sheet's details) and column tables
 * with a header row that repeats after a page break (cover lists, logs, audit exports).
 */
import { INK, MUTED, RULE, SHADE, type PageFlow } from './layout';

const PAD = 4;

export type KeyValueRow = [label: string, value: string];

/** Label on the left, wrapped value on the right; a row never splits across pages. */
export function drawKeyValues(
  flow: PageFlow,
  rows: KeyValueRow[],
  opts: { labelWidth?: number; size?: number; valueSize?: Record<string, number> } = {},
): void {
  const labelWidth = opts.labelWidth ?? 100;
  const valueWidth = flow.width - labelWidth - PAD;
  for (const [label, value] of rows) {
    const size = opts.valueSize?.[label] ?? opts.size ?? 9.5;
    const lineHeight = size * 1.35;
    const lines = flow.wrap(value, valueWidth, size);
    const height = Math.max(lines.length * lineHeight, 12) + 2 * PAD;
    flow.ensure(height);
    const top = flow.y;
    flow.draw(label, flow.left, top - PAD - size + 1, { size: 8, bold: true, color: MUTED });
    lines.forEach((line, i) =>
      flow.draw(line, flow.left + labelWidth, top - PAD - size - i * lineHeight + 1, { size }),
    );
    flow.gap(height);
    flow.rule(RULE, 0.4);
  }
}

export type Column = {
  header: string;
  width: number;
  bold?: boolean;
  /**
   * Never broken mid-string (a lot number): the column widens to its longest cell, taking the
   * room from the widest column that wraps (at most half of it).
   */
  whole?: boolean;
};

/** Columns take `width` as a share of the page width (they need not add up to exactly 1). */
export function drawTable(
  flow: PageFlow,
  columns: Column[],
  rows: string[][],
  opts: { size?: number } = {},
): void {
  const size = opts.size ?? 9;
  const lineHeight = size * 1.35;
  const total = columns.reduce((n, c) => n + c.width, 0);
  const widths = columns.map((c) => (c.width / total) * flow.width);
  columns.forEach((c, i) => {
    if (!c.whole) return;
    const longest = Math.max(
      flow.measure(c.header, 8, true),
      ...rows.map((r) => flow.measure(r[i] ?? '', size, c.bold)),
    );
    const extra = longest + 2 * PAD + 1 - widths[i]!;
    const donor = widths.reduce(
      (best, w, j) => (!columns[j]!.whole && (best < 0 || w > widths[best]!) ? j : best),
      -1,
    );
    if (extra <= 0 || donor < 0) return;
    const give = Math.min(extra, widths[donor]! / 2);
    widths[i]! += give;
    widths[donor]! -= give;
  });
  const xs = widths.map((_, i) => flow.left + widths.slice(0, i).reduce((n, w) => n + w, 0));

  const header = () => {
    const height = 8 + 2 * PAD + 2;
    flow.page.drawRectangle({
      x: flow.left,
      y: flow.y - height,
      width: flow.width,
      height,
      color: SHADE,
    });
    columns.forEach((c, i) =>
      flow.draw(c.header, xs[i]! + PAD, flow.y - PAD - 8, { size: 8, bold: true, color: MUTED }),
    );
    flow.gap(height);
  };

  flow.ensure(40);
  header();
  for (const row of rows) {
    const cells = columns.map((c, i) =>
      flow.wrap(row[i] ?? '', widths[i]! - 2 * PAD, size, c.bold),
    );
    const height = Math.max(...cells.map((l) => l.length)) * lineHeight + 2 * PAD;
    if (flow.room < height) {
      flow.newPage();
      header();
    }
    const top = flow.y;
    cells.forEach((lines, i) =>
      lines.forEach((line, j) =>
        flow.draw(line, xs[i]! + PAD, top - PAD - size - j * lineHeight + 1.5, {
          size,
          bold: columns[i]!.bold,
          color: INK,
        }),
      ),
    );
    flow.gap(height);
    flow.rule(RULE, 0.4);
  }
  flow.gap(8);
}
