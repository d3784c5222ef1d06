import { describe, expect, it } from 'vitest';
import { UUID_V7, uuidv7, uuidv7Time } from './ids';

describe('uuidv7', () => {
  it('is a valid v7 UUID carrying its creation time', () => {
    const id = uuidv7(1_732_000_000_123);
    expect(id).toMatch(UUID_V7);
    expect(uuidv7Time(id)).toBe(1_732_000_000_123);
  });

  it('sorts by creation time', () => {
    const ids = [3, 1, 2].map((k) => uuidv7(1_700_000_000_000 + k * 1000));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
  });

  it('does not repeat within the same millisecond', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => uuidv7(1_700_000_000_000)));
    expect(seen.size).toBe(1000);
  });
});
