import { describe, expect, it } from 'vitest';
import { chartOrder } from './chart-order';

describe('the order of a chart', () => {
  it('puts alerts and the treatment course first and consent last for clinicians', () => {
    for (const role of ['therapist', 'prescriber'] as const) {
      const order = chartOrder([role]);
      expect(order.slice(0, 2)).toEqual(['alerts', 'course']);
      expect(order.indexOf('timeline')).toBeLessThan(order.indexOf('measures'));
      expect(order.at(-1)).toBe('consent');
    }
  });

  it('puts consent right after alerts for the front office', () => {
    expect(chartOrder(['practice-manager']).slice(0, 2)).toEqual(['alerts', 'consent']);
    expect(chartOrder(['administrator']).slice(0, 2)).toEqual(['alerts', 'consent']);
  });

  it('reads a clinician who is also an administrator as a clinician', () => {
    expect(chartOrder(['administrator', 'therapist'])[1]).toBe('course');
  });
});
