import { describe, expect, it } from 'vitest';
import { decodeSimplePng } from './png';
import { encodePng } from './test-support';

const W = 16;
const H = 12;
// Three levels in a scrambled order: the Paeth predictor meets all of its tie-breaks.
const pixels = (channels: 3 | 4) =>
  Uint8Array.from({ length: W * H * channels }, (_, i) => (((i * 7919) >> 3) % 3) * 60);

describe('signature PNG decoding', () => {
  for (const channels of [3, 4] as const)
    for (const filter of [0, 1, 2, 3, 4])
      it(`reads ${channels === 4 ? 'RGBA' : 'RGB'} rows with filter ${filter} exactly`, () => {
        const src = pixels(channels);
        const decoded = decodeSimplePng(encodePng(W, H, src, channels, filter));
        expect(decoded).toMatchObject({ width: W, height: H, channels });
        expect([...decoded!.pixels]).toEqual([...src]);
      });

  it('leaves other PNG kinds to the general embedder', () => {
    const png = encodePng(W, H, pixels(4), 4);
    const sixteenBit = png.slice();
    sixteenBit[24] = 16;
    expect(decodeSimplePng(sixteenBit)).toBeUndefined();
    expect(decodeSimplePng(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });
});
