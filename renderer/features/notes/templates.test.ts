import { describe, expect, it } from 'vitest';
import { BUNDLED_NOTE_TEMPLATES, templateOf } from './templates';

const soap = BUNDLED_NOTE_TEMPLATES.find((t) => t.templateKey === 'soap')!;

describe('a note’s layout', () => {
  it('is its template’s, when the note holds exactly the template’s sections', () => {
    expect(templateOf(BUNDLED_NOTE_TEMPLATES, 'soap', ['subjective', 'plan'])).toBe(soap);
  });

  it('keeps a section the template no longer lists, after the template’s own, so no text is hidden', () => {
    const edited = { ...soap, templateKey: 'mine', sections: soap.sections.slice(0, 2) };
    const layout = templateOf([edited], 'mine', ['subjective', 'objective', 'safety-check']);
    expect(layout.sections.map((s) => `${s.key}:${s.label}`)).toEqual([
      'subjective:Subjective',
      'objective:Objective',
      'safety-check:Safety check',
    ]);
  });

  it('is a plain layout from the note’s own sections when the template is unknown here', () => {
    const layout = templateOf(BUNDLED_NOTE_TEMPLATES, 'from-another-clinic', ['arrival-notes']);
    expect(layout.name).toBe('from-another-clinic');
    expect(layout.sections).toEqual([{ key: 'arrival-notes', label: 'Arrival notes', hint: '' }]);
  });
});
