import { describe, expect, it } from 'vitest';
import { lotAtSigningLine } from './lot-balance';

describe('the lot balance a signed dose shows', () => {
  it('is the balance kept at signing', () => {
    expect(
      lotAtSigningLine({
        status: 'signed',
        lotId: 'l1',
        lotNumber: 'KX2291',
        lotAtSigning: { before: 1000, after: 965, unit: 'mg' },
      }),
    ).toBe('Lot KX2291 at signing: 1000 mg on hand, 965 mg after this dose');
    expect(
      lotAtSigningLine({
        status: 'signed',
        lotId: 'l1',
        lotNumber: 'SPR-7',
        lotAtSigning: { before: 12, after: 9, unit: 'device' },
      }),
    ).toBe('Lot SPR-7 at signing: 12 devices on hand, 9 devices after this dose');
  });

  it('an older signed dose without it says so instead of showing a number', () => {
    expect(lotAtSigningLine({ status: 'signed', lotId: 'l1', lotNumber: 'KX2291' })).toMatch(
      /^Lot KX2291: the balance at signing was not recorded/,
    );
  });

  it('a draft or a dose without a lot has nothing to say', () => {
    expect(lotAtSigningLine({ status: 'draft', lotId: 'l1', lotNumber: 'KX2291' })).toBeUndefined();
    expect(lotAtSigningLine({ status: 'signed' })).toBeUndefined();
  });
});
