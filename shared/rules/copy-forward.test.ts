import { describe, expect, it } from 'vitest';
import { copiedSections, copyForwardSource, unchangedCopiedSections } from './copy-forward';

const note = (id: string, over: Record<string, unknown> = {}) =>
  ({
    id,
    patientId: 'maya',
    templateId: 'soap',
    status: 'signed',
    sections: {},
    updatedAt: '2026-12-01T10:00:00.000Z',
    signature: { at: '2026-12-01T10:00:00.000Z' },
    ...over,
  }) as never;

describe('copy forward', () => {
  it('offers the latest signed note of the same template and patient', () => {
    const notes = [
      note('old', { signature: { at: '2026-11-01T10:00:00.000Z' } }),
      note('latest', { signature: { at: '2026-12-01T10:00:00.000Z' } }),
      note('draft', {
        status: 'draft',
        signature: undefined,
        updatedAt: '2026-12-05T10:00:00.000Z',
      }),
      note('other-template', { templateId: 'dap', signature: { at: '2026-12-06T10:00:00.000Z' } }),
      note('other-patient', { patientId: 'ada', signature: { at: '2026-12-06T10:00:00.000Z' } }),
      note('in-error', {
        status: 'entered-in-error',
        signature: { at: '2026-12-06T10:00:00.000Z' },
      }),
    ];
    expect((copyForwardSource(notes, 'maya', 'soap') as unknown as { id: string }).id).toBe(
      'latest',
    );
    expect(copyForwardSource(notes, 'maya', 'birp')).toBeUndefined();
  });

  it('fills the template’s sections and marks those still unchanged', () => {
    const source = { sections: { s: 'Slept well', o: 'Calm', old: 'A section since removed' } };
    const sections = copiedSections(['s', 'o', 'a'], source);
    expect(sections).toEqual({ s: 'Slept well', o: 'Calm', a: '' });
    expect(
      unchangedCopiedSections({ sections: { ...sections, o: 'Calm, tearful at 14:05' } }, source),
    ).toEqual(['s']);
  });
});
