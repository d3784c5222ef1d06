/** A small seeded PRNG (mulberry32): the same seed gives the same clinic on every machine. */
export type Rng = {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  sample<T>(items: readonly T[], n: number): T[];
};

export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[int(0, items.length - 1)]!;
  return {
    next,
    int,
    pick,
    chance: (p) => next() < p,
    sample: (items, n) => {
      const pool = [...items];
      const out = [];
      while (out.length < n && pool.length) out.push(pool.splice(int(0, pool.length - 1), 1)[0]!);
      return out;
    },
  };
}

/** Deterministic UUIDv7-shaped ids from the generator, so repeated runs give identical records. */
export function seededUuidv7(rng: Rng, ms: number): string {
  const hex = (n: number, width: number) => Math.floor(n).toString(16).padStart(width, '0');
  const time = hex(ms, 12);
  const r = () => hex(rng.next() * 0x10000, 4);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${r().slice(1)}-${hex(0x8000 + rng.next() * 0x3fff, 4)}-${r()}${r()}${r()}`;
}
