/** The drawn rows of a long table and the blank rows standing in for the rest (issue 20). */
import { describe, expect, it } from 'vitest';
import { rowAfterKey, slots, withKept } from './virtual-rows';

const row = (index: number, h = 40, margin = 100) => ({
  index,
  start: margin + index * h,
  end: margin + (index + 1) * h,
  key: `p${index}`,
});

describe('slots', () => {
  it('puts a blank row above and below the drawn run so the page keeps the whole height', () => {
    const s = slots([row(10), row(11), row(12)], 100, 100 * 40);
    expect(s).toEqual([
      { gap: 400, key: 'gap-10' },
      { row: row(10) },
      { row: row(11) },
      { row: row(12) },
      { gap: (100 - 13) * 40, key: 'gap-end' },
    ]);
    const height = s.reduce((h, x) => h + ('gap' in x ? x.gap : x.row.end - x.row.start), 0);
    expect(height).toBe(100 * 40);
  });

  it('keeps a focused row scrolled far away, with a blank row between it and the visible run', () => {
    const s = slots([row(2), row(50), row(51)], 100, 60 * 40);
    expect(s.map((x) => ('gap' in x ? `gap ${x.gap}` : x.row.index))).toEqual([
      'gap 80',
      2,
      'gap 1880',
      50,
      51,
      'gap 320',
    ]);
  });

  it('draws no blank rows when every row is drawn', () => {
    expect(slots([row(0), row(1)], 100, 80).every((x) => 'row' in x)).toBe(true);
  });
});

describe('withKept', () => {
  const range = { startIndex: 40, endIndex: 49, overscan: 2, count: 2000 };
  it('adds the focused row to the visible rows and overscan, in order', () => {
    expect(withKept(range, 3)).toEqual([3, ...Array.from({ length: 14 }, (_, i) => 38 + i)]);
  });
  it('adds nothing when it is already drawn, absent or gone from the list', () => {
    expect(withKept(range, 45)).toHaveLength(14);
    expect(withKept(range, undefined)).toHaveLength(14);
    expect(withKept(range, 2000)).toHaveLength(14);
  });
});

describe('rowAfterKey', () => {
  it('moves one row, ten rows, or to either end, and stays inside the list', () => {
    expect(rowAfterKey('ArrowDown', false, 5, 2000)).toBe(6);
    expect(rowAfterKey('ArrowUp', false, 0, 2000)).toBe(0);
    expect(rowAfterKey('PageDown', false, 1995, 2000)).toBe(1999);
    expect(rowAfterKey('PageUp', false, 4, 2000)).toBe(0);
    expect(rowAfterKey('End', true, 5, 2000)).toBe(1999);
    expect(rowAfterKey('Home', true, 500, 2000)).toBe(0);
  });
  it('leaves other keys (and Home/End without Ctrl) alone', () => {
    expect(rowAfterKey('Enter', false, 5, 2000)).toBeUndefined();
    expect(rowAfterKey('End', false, 5, 2000)).toBeUndefined();
  });
});
