import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NoteTemplateBody } from '../model/settings';
import {
  BUNDLED_NOTE_TEMPLATE_FILES,
  duplicateNoteTemplate,
  listBundledNoteTemplates,
  noteTemplateFileText,
  parseNoteTemplate,
  validateNoteTemplate,
} from './note-templates';

const DIR = join(import.meta.dirname, '../../resources/note-templates');
const bundledFiles = () =>
  Object.fromEntries(
    readdirSync(DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [
        `/resources/note-templates/${f}`,
        JSON.parse(readFileSync(join(DIR, f), 'utf8')),
      ]),
  );

const soapLike = {
  templateKey: 'clinic-soap',
  name: 'Clinic SOAP',
  format: 'soap',
  sections: [
    { key: 'subjective', label: 'Subjective', hint: 'What the patient reports.' },
    { key: 'plan', label: 'Plan', hint: 'What happens next.' },
  ],
};
const problemsOf = (value: unknown) => {
  const check = validateNoteTemplate(value);
  return check.ok ? [] : check.problems;
};

describe('bundled note templates', () => {
  it('ships exactly the listed files, each valid, with a label and one-line hint per section', () => {
    expect(readdirSync(DIR).sort()).toEqual([...BUNDLED_NOTE_TEMPLATE_FILES].sort());
    for (const t of listBundledNoteTemplates(bundledFiles())) {
      for (const s of t.sections) {
        expect(s.label, `${t.templateKey}.${s.key}`).not.toBe('');
        expect(s.hint, `${t.templateKey}.${s.key}`).toMatch(/^[^\n]{10,120}$/);
      }
    }
  });

  it('lists them in course order: preparation, dosing, integration, then SOAP, DAP, BIRP', () => {
    expect(listBundledNoteTemplates(bundledFiles()).map((t) => t.templateKey)).toEqual([
      'kap-preparation',
      'dosing-session',
      'integration-session',
      'soap',
      'dap',
      'birp',
    ]);
  });

  it('gives the preparation note the KAP preparation topics', () => {
    const prep = listBundledNoteTemplates(bundledFiles())[0]!;
    expect(prep.sections.map((s) => s.label)).toEqual(
      expect.arrayContaining([
        'Intentions',
        'Set and setting',
        'Breathwork and meditation practised',
        'Safety plan',
        'Expectations',
      ]),
    );
  });

  it('makes the dosing-session note a live-charting note with quick tags', () => {
    const dosing = listBundledNoteTemplates(bundledFiles()).find(
      (t) => t.templateKey === 'dosing-session',
    )!;
    expect(dosing.liveCharting).toBe(true);
    expect(dosing.quickTags).toEqual(
      expect.arrayContaining(['tearful', 'calm', 'nausea', 'reports warmth', 'asks for water']),
    );
    const live = listBundledNoteTemplates(bundledFiles()).filter((t) => t.liveCharting);
    expect(live.map((t) => t.templateKey)).toEqual(['dosing-session']);
  });

  it('uses the standard sections for SOAP, DAP and BIRP', () => {
    const keys = (k: string) =>
      listBundledNoteTemplates(bundledFiles())
        .find((t) => t.templateKey === k)!
        .sections.map((s) => s.key);
    expect(keys('soap')).toEqual(['subjective', 'objective', 'assessment', 'plan']);
    expect(keys('dap')).toEqual(['data', 'assessment', 'plan']);
    expect(keys('birp')).toEqual(['behavior', 'intervention', 'response', 'plan']);
  });

  it('refuses a broken bundled file, naming it', () => {
    expect(() =>
      listBundledNoteTemplates({ 'x/broken.json': { ...soapLike, sections: [] } }),
    ).toThrow(/broken\.json is broken: The template has no sections/);
  });

  it('refuses two bundled files with the same key', () => {
    expect(() => listBundledNoteTemplates({ 'a.json': soapLike, 'b.json': soapLike })).toThrow(
      /b\.json.*"clinic-soap" already exists/,
    );
  });
});

describe('importing a clinic template', () => {
  it('accepts a good template, trimming stray spaces and filling defaults', () => {
    const check = parseNoteTemplate(
      JSON.stringify({
        ...soapLike,
        name: '  Clinic SOAP ',
        sections: [{ key: 'a', label: ' A ' }],
      }),
    );
    expect(check).toEqual({
      ok: true,
      template: {
        ...soapLike,
        sections: [{ key: 'a', label: 'A', hint: '' }],
        liveCharting: false,
        quickTags: [],
      },
    });
    if (check.ok) expect(NoteTemplateBody.parse(check.template)).toEqual(check.template);
  });

  it('says when the text is not JSON', () => {
    const check = parseNoteTemplate('{ "name": "SOAP", ');
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.problems[0]).toMatch(/^This is not valid JSON text/);
  });

  it('says which section has no label, counting from 1', () => {
    const sections = [soapLike.sections[0], { key: 'plan', label: '   ' }];
    expect(problemsOf({ ...soapLike, sections })).toEqual([
      'Section 2 has no label (the heading shown above its text).',
    ]);
  });

  it('reports every problem at once so the clinic fixes the file in one go', () => {
    const problems = problemsOf({
      templateKey: 'My Note',
      sections: [{ label: 'A' }, { key: 'Plan A', label: 'Plan' }, 'oops'],
      quickTags: ['calm', 'Calm', '', 'x'.repeat(41)],
      liveCharting: 'yes',
    });
    expect(problems).toEqual([
      'The template key "My Note" may use only lowercase letters, digits and dashes, 2 to 60 characters (for example "my-note").',
      'The template has no name.',
      'Section 1 has no key.',
      'Section 2\'s key "Plan A" may use only lowercase letters, digits and dashes (for example "plan-a").',
      'Section 3 is not a section: give it a key, a label and a hint.',
      'The quick tag "Calm" is listed twice.',
      'Quick tag 3 is empty.',
      `Quick tag 4 ("${'x'.repeat(41)}") is longer than 40 characters.`,
      '"liveCharting" must be true or false.',
    ]);
  });

  it('refuses duplicate section keys, naming both sections', () => {
    const sections = [...soapLike.sections, { key: 'plan', label: 'Plan again' }];
    expect(problemsOf({ ...soapLike, sections })).toEqual([
      'Sections 2 and 3 both use the key "plan"; each section needs its own key.',
    ]);
  });

  it('refuses a template without sections or that is not an object', () => {
    expect(problemsOf({ ...soapLike, sections: [] })).toEqual([
      'The template has no sections. Add at least one, each with a key and a label.',
    ]);
    expect(problemsOf([soapLike])[0]).toMatch(/must be a JSON object/);
  });

  it('refuses a key another template already uses', () => {
    const check = parseNoteTemplate(JSON.stringify(soapLike), { existingKeys: ['clinic-soap'] });
    expect(check.ok ? [] : check.problems).toEqual([
      'A template with the key "clinic-soap" already exists. Give this one its own key, or duplicate the existing template instead.',
    ]);
  });
});

describe('duplicate and edit', () => {
  const source = NoteTemplateBody.parse({ ...soapLike, liveCharting: true, quickTags: ['calm'] });

  it('keeps sections, hints and tags under a new key and name', () => {
    const copy = duplicateNoteTemplate(source, ['clinic-soap']);
    expect(copy).toEqual({
      ...source,
      templateKey: 'clinic-soap-copy',
      name: 'Copy of Clinic SOAP',
    });
  });

  it('finds the next free key when copies exist', () => {
    const copy = duplicateNoteTemplate(source, ['clinic-soap', 'clinic-soap-copy']);
    expect(copy.templateKey).toBe('clinic-soap-copy-2');
  });

  it('stays within the 60-character key limit', () => {
    const long = { ...source, templateKey: 'k'.repeat(60) };
    expect(duplicateNoteTemplate(long, [long.templateKey]).templateKey).toHaveLength(60);
  });

  it('takes a chosen key and name, refusing one already in use', () => {
    const copy = duplicateNoteTemplate(source, ['clinic-soap'], {
      templateKey: 'ketamine-soap',
      name: 'Ketamine SOAP',
    });
    expect(copy).toMatchObject({ templateKey: 'ketamine-soap', name: 'Ketamine SOAP' });
    expect(() =>
      duplicateNoteTemplate(source, ['clinic-soap'], { templateKey: 'clinic-soap' }),
    ).toThrow(/already exists/);
  });

  it('does not share section objects with the original', () => {
    const copy = duplicateNoteTemplate(source, []);
    copy.sections[0]!.label = 'Changed';
    expect(source.sections[0]!.label).toBe('Subjective');
  });
});

describe('template files', () => {
  it('writes only the template fields, and reads back to the same template', () => {
    const record = {
      ...soapLike,
      liveCharting: false,
      quickTags: [],
      kind: 'note-template',
      id: '01936f3e-0000-7000-8000-000000000001',
      createdBy: '01936f3e-0000-7000-8000-000000000002',
      retiredAt: '2026-11-20T10:00:00.000Z',
    };
    const text = noteTemplateFileText(record);
    expect(text).not.toMatch(/01936f3e|retiredAt|kind/);
    const back = parseNoteTemplate(text);
    expect(back).toEqual({ ok: true, template: NoteTemplateBody.parse(soapLike) });
    for (const t of listBundledNoteTemplates(bundledFiles()))
      expect(parseNoteTemplate(noteTemplateFileText(t))).toEqual({ ok: true, template: t });
  });
});
