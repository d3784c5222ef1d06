/**
 * Pure parts of VirtualTableBody (issue 20): which rows a long table draws, and the blank rows
 * that stand in for the ones it does not, so the page keeps its full height and scrolls as if
 * every row were there.
 */
import { type Range, defaultRangeExtractor } from '@tanstack/react-virtual';

export type Drawn = { index: number; start: number; end: number; key: string | number | bigint };
export type Slot = { row: Drawn } | { gap: number; key: string };

/**
 * The rows drawn, in order, with a blank row of the right height before each run that does not
 * follow the last one, and after the last. `start`/`end` count from the top of the page (they
 * include `margin`, the table body's own offset); `total` does not.
 */
export function slots(rows: readonly Drawn[], margin: number, total: number): Slot[] {
  const out: Slot[] = [];
  let at = margin;
  for (const row of rows) {
    if (row.start > at) out.push({ gap: row.start - at, key: `gap-${row.index}` });
    out.push({ row });
    at = row.end;
  }
  if (margin + total > at) out.push({ gap: margin + total - at, key: 'gap-end' });
  return out;
}

/**
 * The visible rows with their overscan, and the row that has the keyboard focus even when it has
 * been scrolled away: unmounting it would drop the focus to the page.
 */
export function withKept(range: Range, kept: number | undefined): number[] {
  const out = defaultRangeExtractor(range);
  if (kept === undefined || kept < 0 || kept >= range.count || out.includes(kept)) return out;
  return [...out, kept].sort((a, b) => a - b);
}

/** The row the arrow keys move to from `index`, or undefined when the key is not one of them. */
export function rowAfterKey(
  key: string,
  ctrl: boolean,
  index: number,
  count: number,
): number | undefined {
  const last = count - 1;
  if (key === 'ArrowDown') return Math.min(index + 1, last);
  if (key === 'ArrowUp') return Math.max(index - 1, 0);
  if (key === 'PageDown') return Math.min(index + 10, last);
  if (key === 'PageUp') return Math.max(index - 10, 0);
  if (ctrl && key === 'Home') return 0;
  if (ctrl && key === 'End') return last;
  return undefined;
}
