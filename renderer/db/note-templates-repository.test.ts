import { afterEach, describe, expect, it } from 'vitest';
import { duplicateNoteTemplate } from '../../shared/rules/note-templates';
import type { KatDatabase } from './database';
import {
  TemplateProblemsError,
  importNoteTemplate,
  restoreNoteTemplate,
  retireNoteTemplate,
  saveClinicTemplate,
  sectionKeyFor,
  takenTemplateKeys,
} from './note-templates-repository';
import { RecordStore } from './record-store';
import { freshClinic } from './test-support';

const soap = {
  templateKey: 'soap',
  name: 'SOAP note',
  format: 'soap',
  sections: [
    { key: 'subjective', label: 'Subjective', hint: 'What the patient reports.' },
    { key: 'plan', label: 'Plan', hint: 'What happens next.' },
  ],
  liveCharting: false,
  quickTags: [],
};
const fileOf = (v: unknown) => JSON.stringify(v);

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});
async function setup() {
  const c = await freshClinic();
  opened.push(c.db);
  return c;
}

describe('clinic note templates', () => {
  it('imports a valid file as a note-template record', async () => {
    const { store } = await setup();
    const t = await importNoteTemplate(
      store,
      fileOf({ ...soap, templateKey: 'clinic-soap', name: 'Clinic SOAP' }),
      ['soap'],
    );
    expect(t).toMatchObject({ kind: 'note-template', templateKey: 'clinic-soap', status: 'draft' });
    expect((await store.listKind('note-template')).map((r) => r.name)).toEqual(['Clinic SOAP']);
  });

  it('refuses a bad file with every problem in plain words and stores nothing', async () => {
    const { store } = await setup();
    const bad = fileOf({ templateKey: 'Clinic SOAP', sections: [] });
    const error = await importNoteTemplate(store, bad, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateProblemsError);
    expect((error as TemplateProblemsError).problems).toEqual([
      expect.stringContaining('may use only lowercase letters'),
      'The template has no name.',
      expect.stringContaining('has no sections'),
    ]);
    await expect(importNoteTemplate(store, '{ not json', [])).rejects.toThrow(/not valid JSON/);
    await expect(importNoteTemplate(store, 'x'.repeat(200_001), [])).rejects.toThrow(/too large/);
    expect(await store.listKind('note-template')).toEqual([]);
  });

  it('refuses a key that a bundled or clinic template already uses, retired ones included', async () => {
    const { store } = await setup();
    await expect(importNoteTemplate(store, fileOf(soap), ['soap'])).rejects.toThrow(
      /already exists/,
    );
    const own = await importNoteTemplate(store, fileOf({ ...soap, templateKey: 'mine' }), []);
    await retireNoteTemplate(store, own.id);
    const taken = takenTemplateKeys([soap], await store.listKind('note-template'));
    expect([...taken]).toEqual(['soap', 'mine']);
    await expect(
      importNoteTemplate(store, fileOf({ ...soap, templateKey: 'mine' }), taken),
    ).rejects.toThrow(/already exists/);
  });

  it('saves a duplicate, then edits it: labels, hints, sections added, removed and reordered', async () => {
    const { store } = await setup();
    const copy = duplicateNoteTemplate(soap, ['soap']);
    const saved = await saveClinicTemplate(store, { body: copy, takenKeys: ['soap'] });
    expect(saved).toMatchObject({ templateKey: 'soap-copy', name: 'Copy of SOAP note' });

    const edited = await saveClinicTemplate(store, {
      id: saved.id,
      takenKeys: ['soap', 'soap-copy'],
      body: {
        ...copy,
        name: 'Ketamine follow-up',
        sections: [
          { key: 'plan', label: 'Plan and next visit', hint: 'Dates, homework.' },
          { key: 'safety', label: 'Safety', hint: '' },
        ],
      },
    });
    expect(edited.name).toBe('Ketamine follow-up');
    expect(edited.sections.map((s) => `${s.key}:${s.label}`)).toEqual([
      'plan:Plan and next visit',
      'safety:Safety',
    ]);
  });

  it('keeps a saved template key fixed and refuses an edit with problems, changing nothing', async () => {
    const { store } = await setup();
    const saved = await saveClinicTemplate(store, {
      body: { ...soap, templateKey: 'mine' },
      takenKeys: ['soap'],
    });
    await expect(
      saveClinicTemplate(store, {
        id: saved.id,
        body: { ...soap, templateKey: 'other' },
        takenKeys: ['soap', 'mine'],
      }),
    ).rejects.toThrow(/keeps its key/);
    await expect(
      saveClinicTemplate(store, {
        id: saved.id,
        body: { ...soap, templateKey: 'mine', name: ' ', sections: [] },
        takenKeys: ['soap', 'mine'],
      }),
    ).rejects.toThrow(/no name.*no sections/);
    expect((await store.get('note-template', saved.id))?.name).toBe('SOAP note');
  });

  it('retires a template and restores it; the record stays', async () => {
    const { store } = await setup();
    const t = await saveClinicTemplate(store, {
      body: { ...soap, templateKey: 'mine' },
      takenKeys: [],
    });
    const retired = await retireNoteTemplate(store, t.id, new Date('2026-11-20T10:00:00Z'));
    expect(retired.retiredAt).toBe('2026-11-20T10:00:00.000Z');
    await expect(retireNoteTemplate(store, t.id)).rejects.toThrow(/already retired/);
    const back = await restoreNoteTemplate(store, t.id);
    expect(back.retiredAt).toBeUndefined();
    expect(back.sections).toHaveLength(2);
  });

  it('lets only roles the permission table allows manage templates', async () => {
    const { store, db, session } = await setup();
    const manager = new RecordStore(db, {
      ...session,
      user: { ...session.user, roles: ['practice-manager'] },
    });
    await expect(
      saveClinicTemplate(manager, { body: { ...soap, templateKey: 'mine' }, takenKeys: [] }),
    ).rejects.toThrow(/does not allow recording or editing note templates/);
    expect(await store.listKind('note-template')).toEqual([]);
  });

  it('makes section keys from labels, unique within the template', () => {
    expect(sectionKeyFor('Safety plan', [])).toBe('safety-plan');
    expect(sectionKeyFor('Safety plan', ['safety-plan'])).toBe('safety-plan-2');
    expect(sectionKeyFor('Émotions ✨', [])).toBe('emotions');
    expect(sectionKeyFor('???', [])).toBe('section');
  });
});
