/**
 * What a version of a record has seen, as a version vector (Parker et al., 1983): per device (HLC
 * node), the clock of that device's latest write it incorporates. A device's writes of one record
 * are sequential, each building on the one before, so "the write at clock c of node n is in this
 * version" is `vv[n] >= c`: the vector says, in one entry per device that ever wrote the record,
 * everything a version descends from, however many versions there were (a bounded list of recent
 * clocks forgets; issue 14 finding 2).
 *
 * Two versions are concurrent when neither vector covers the other; a field both changed without
 * seeing the other's write is a true conflict (issue 14 finding 0: an acknowledged push is not
 * proof that the other side's concurrent version was seen).
 */
import { type Hlc, compareHlc, parseHlc } from './hlc';

/** node → the latest clock of that node's writes incorporated. */
export type VersionVector = Record<string, Hlc>;

/** The vector of a set of clocks: per node, the latest. */
export function vvOf(...clocks: (Hlc | undefined)[]): VersionVector {
  const out: VersionVector = {};
  // A clock met again adds nothing: skipped before parsing, since a record's field clocks are
  // mostly its own clock again (20 fields of a signed record: ~5 % of an initial pull, issue 20).
  let last: Hlc | undefined;
  for (const c of clocks) if (c && c !== last) addClock(out, (last = c));
  return out;
}

/** Adds one clock in place; returns the vector. */
export function addClock(vv: VersionVector, clock: Hlc): VersionVector {
  const { node } = parseHlc(clock);
  const held = vv[node];
  if (held === undefined || compareHlc(clock, held) > 0) vv[node] = clock;
  return vv;
}

/** The least vector covering all of them (what a merge of those versions has seen). */
export function vvJoin(...vectors: (VersionVector | undefined)[]): VersionVector {
  const out: VersionVector = {};
  for (const v of vectors) if (v) for (const c of Object.values(v)) addClock(out, c);
  return out;
}

/** Is the write stamped `clock` part of a version whose vector is `vv`? */
export function covers(vv: VersionVector, clock: Hlc): boolean {
  const held = vv[parseHlc(clock).node];
  return held !== undefined && compareHlc(held, clock) >= 0;
}

/** Has `a` seen everything `b` has (b is an ancestor of a, or the same)? */
export function dominates(a: VersionVector, b: VersionVector): boolean {
  return Object.values(b).every((c) => covers(a, c));
}

/** The wire form: one clock per node (each names its node), sorted, so equal vectors are equal. */
export function vvToList(vv: VersionVector): Hlc[] {
  return Object.values(vv).sort();
}

export function vvFromList(list: readonly Hlc[] | undefined): VersionVector {
  return vvOf(...(list ?? []));
}
