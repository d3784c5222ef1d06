/**
 * The join-pull bench's helpers (tests/bench/join-pull.ts, issue 20): how many demo patients make
 * the clinic's records, where the new computer's pull starts and ends in its request log, and the
 * row against the 150 MB goal.
 */
import { describe, expect, it } from 'vitest';
import { type JoinPullFigures, joinPullRow, patientsToReach, pullSpan } from '../bench/join-pull';

describe('patientsToReach', () => {
  it('is the first patient whose cumulative records reach the target', () => {
    expect(patientsToReach(250, [90, 180, 260, 350])).toBe(3);
    expect(patientsToReach(260, [90, 180, 260, 350])).toBe(3);
    expect(patientsToReach(50, [90, 180])).toBe(1);
  });

  it('is every patient when the clinic never reaches the target', () => {
    expect(patientsToReach(1_000, [90, 180])).toBe(2);
  });
});

describe('pullSpan', () => {
  const at = (path: string, t: number) => ({ path, at: t });

  it('runs from the first page of bundles to the round’s key-blob listing', () => {
    const requests = [
      at('/v1/chain?from=0', 10),
      at('/v1/key-blobs/user%3Aavery', 20), // the member's keys, fetched before the pull
      at('/v1/bundles?after=0&limit=500', 100),
      at('/v1/bundles?after=12&limit=500', 400),
      at('/v1/bundles?after=24&limit=500', 700),
      at('/v1/key-blobs', 1_100),
      at('/v1/bundles?after=30&limit=500', 5_000), // the runtime's next round
    ];
    expect(pullSpan(requests)).toEqual({ ms: 1_000, pages: 3 });
  });

  it('says NaN when the pull or its end is missing', () => {
    expect(pullSpan([at('/v1/chain?from=0', 1)]).ms).toBeNaN();
    expect(pullSpan([at('/v1/bundles?after=0&limit=500', 1)])).toEqual({ ms: NaN, pages: 1 });
  });
});

describe('joinPullRow', () => {
  const f: JoinPullFigures = {
    target: 10_000,
    patients: 104,
    seededRecords: 10_110,
    seedMs: 30_000,
    pushMs: 6_000,
    pulled: { records: 10_110, audit: 40 },
    pullMs: 4_200,
    pages: 21,
    confirmedToListMs: 7_900,
    heapAtListMb: 41,
    heapMb: 38.4,
  };

  it('reports the heap once synced against 150 MB, with how the clinic was made and joined', () => {
    const r = joinPullRow(f);
    expect(r).toMatchObject({ ours: '38 MB', goal: '< 150 MB', met: true });
    expect(r.benchmark).toContain("new computer's initial pull of 10,110 records");
    expect(r.benchmark).toContain('at the first patient rows: 41 MB');
    expect(r.benchmark).toContain('104 patients');
    expect(joinPullRow({ ...f, heapMb: 150 }).met).toBe(false);
  });
});
