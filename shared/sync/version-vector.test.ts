import { describe, expect, it } from 'vitest';
import { formatHlc } from './hlc';
import { covers, dominates, vvFromList, vvJoin, vvOf, vvToList } from './version-vector';

const at = (ms: number, node: string, counter = 0) => formatHlc({ wallMs: ms, counter, node });

describe('version vectors', () => {
  it('remember every earlier write of a device by its latest one, however many there were', () => {
    const autosaves = Array.from({ length: 500 }, (_, i) => at(1_000 + i, 'laptop'));
    const vv = vvOf(...autosaves);
    expect(Object.keys(vv)).toEqual(['laptop']);
    for (const v of autosaves) expect(covers(vv, v)).toBe(true);
    expect(covers(vv, at(2_000, 'laptop'))).toBe(false);
    expect(covers(vv, at(1_000, 'tablet'))).toBe(false);
  });

  it('tell concurrent versions from descendants', () => {
    const base = vvOf(at(1_000, 'frontdesk'));
    const a = vvJoin(base, vvOf(at(2_000, 'laptop')));
    const b = vvJoin(base, vvOf(at(2_500, 'tablet')));
    expect(dominates(a, base)).toBe(true);
    expect(dominates(a, b)).toBe(false);
    expect(dominates(b, a)).toBe(false);
    const merged = vvJoin(a, b);
    expect(dominates(merged, a) && dominates(merged, b)).toBe(true);
  });

  it('travel as a sorted list of clocks that reads back the same', () => {
    const vv = vvOf(at(3, 'tablet'), at(2, 'laptop'), at(1, 'laptop'));
    expect(vvToList(vv)).toEqual([at(2, 'laptop'), at(3, 'tablet')].sort());
    expect(vvFromList(vvToList(vv))).toEqual(vv);
  });
});
