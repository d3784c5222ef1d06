import { describe, expect, it } from 'vitest';
import { ClockDriftError, HybridClock, compareHlc, parseHlc } from './hlc';

function fixedClock(start: number) {
  let t = start;
  return { now: () => t, set: (v: number) => (t = v) };
}

describe('HybridClock', () => {
  it('issues strictly increasing timestamps even when the wall clock stands still or steps back', () => {
    const wall = fixedClock(1_000_000);
    const clock = new HybridClock('deva', wall.now);
    const a = clock.now();
    const b = clock.now();
    wall.set(999_000); // the OS clock was corrected backwards
    const c = clock.now();
    expect(compareHlc(a, b)).toBe(-1);
    expect(compareHlc(b, c)).toBe(-1);
    expect(parseHlc(c).wallMs).toBe(1_000_000);
  });

  it('moves past a remote timestamp that is ahead (within the drift limit)', () => {
    const wall = fixedClock(1_000_000);
    const clock = new HybridClock('deva', wall.now);
    const remote = new HybridClock('devb', () => 1_060_000).now();
    const merged = clock.receive(remote);
    expect(compareHlc(merged, remote)).toBe(1);
    expect(compareHlc(clock.now(), merged)).toBe(1);
  });

  it('refuses a remote clock far in the future with a message a person can act on', () => {
    const clock = new HybridClock('deva', () => 1_000_000);
    const remote = new HybridClock('devb', () => 1_000_000 + 60 * 60_000).now();
    expect(() => clock.receive(remote)).toThrow(ClockDriftError);
    expect(() => clock.receive(remote)).toThrow(/about 60 minutes ahead/);
    // and the local clock was not dragged forward by the refused stamp
    expect(parseHlc(clock.now()).wallMs).toBe(1_000_000);
  });

  it('resumes after a restart from the persisted latest timestamp', () => {
    const first = new HybridClock('deva', () => 5_000);
    first.now();
    const latest = first.now();
    const restarted = new HybridClock('deva', () => 4_000, latest);
    expect(compareHlc(restarted.now(), latest)).toBe(1);
  });

  it('orders by string comparison across magnitudes', () => {
    const early = new HybridClock('a', () => 999).now();
    const late = new HybridClock('a', () => 1_000).now();
    expect(early < late).toBe(true);
  });

  it('breaks ties between devices deterministically by node id', () => {
    const a = new HybridClock('aaa', () => 7).now();
    const b = new HybridClock('bbb', () => 7).now();
    expect(compareHlc(a, b)).toBe(-1);
  });
});
