import { describe, expect, it } from 'vitest';
import type { SessionNote } from '../model';
import { formatHlc } from '../sync/hlc';
import { uuidv7 } from '../util/ids';
import { RuleError } from './errors';
import {
  assertLifecycleWrite,
  assertNotDeleted,
  markEnteredInError,
  signRecord,
} from './lifecycle';

const author = { id: uuidv7(), name: 'Dana Reyes, LCSW' };

function draftNote(text = 'Patient arrived calm.'): SessionNote {
  return {
    kind: 'note',
    id: uuidv7(),
    clinicId: uuidv7(),
    createdBy: author.id,
    createdAt: '2026-11-21T14:00:00.000Z',
    updatedAt: formatHlc({ wallMs: 1, counter: 0, node: 'dev1' }),
    status: 'draft',
    schemaVersion: 1,
    patientId: uuidv7(),
    templateId: 'dosing-session',
    title: 'Dosing session',
    sections: { observations: text },
    timeline: [],
  };
}

describe('record lifecycle', () => {
  it('lets a draft be edited', async () => {
    const note = draftNote();
    await expect(
      assertLifecycleWrite(note, { ...note, sections: { observations: 'Changed' } }),
    ).resolves.toBeUndefined();
  });

  it('refuses an edit after signing, pointing to addenda', async () => {
    const signed = await signRecord(draftNote(), author, new Date('2026-11-21T15:00:00Z'));
    const edited = { ...signed, sections: { observations: 'Rewritten history' } };
    await expect(assertLifecycleWrite(signed, edited)).rejects.toThrow(/signed.*Add an addendum/);
  });

  it('stamps the signer, time and a content hash that detects later changes', async () => {
    const signed = await signRecord(draftNote(), author, new Date('2026-11-21T15:00:00Z'));
    expect(signed.signature).toMatchObject({
      by: author.id,
      byName: author.name,
      at: '2026-11-21T15:00:00.000Z',
    });
    expect(signed.signature?.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    // a record arriving already signed but with a body that does not match its signature
    const forged = { ...signed, id: uuidv7(), sections: { observations: 'forged' } };
    await expect(assertLifecycleWrite(undefined, forged)).rejects.toThrow(/changed after signing/);
  });

  it('allows marking a signed record entered in error with a reason, keeping its content', async () => {
    const signed = await signRecord(draftNote(), author, new Date());
    const marked = markEnteredInError(
      signed,
      author.id,
      new Date(),
      'Charted on the wrong patient',
    );
    await expect(assertLifecycleWrite(signed, marked)).resolves.toBeUndefined();
    expect(marked.sections).toEqual(signed.sections);
    expect(() => markEnteredInError(signed, author.id, new Date(), ' ')).toThrow(/Say why/);
    // and once in error, nothing changes any more
    await expect(assertLifecycleWrite(marked, { ...marked, title: 'x' })).rejects.toThrow(
      /entered in error/,
    );
  });

  it('refuses sneaking a content change in with the entered-in-error mark', async () => {
    const signed = await signRecord(draftNote(), author, new Date());
    const marked = markEnteredInError(signed, author.id, new Date(), 'Wrong patient');
    await expect(assertLifecycleWrite(signed, { ...marked, title: 'new' })).rejects.toBeInstanceOf(
      RuleError,
    );
  });

  it('never deletes a clinical record', () => {
    expect(() => assertNotDeleted('note')).toThrow(/never deleted.*entered in error/);
  });

  it('keeps identity fields fixed', async () => {
    const note = draftNote();
    await expect(assertLifecycleWrite(note, { ...note, createdBy: uuidv7() })).rejects.toThrow(
      /never changes/,
    );
  });

  it('cannot sign twice', async () => {
    const signed = await signRecord(draftNote(), author, new Date());
    await expect(signRecord(signed, author, new Date())).rejects.toThrow(/already signed/);
  });
});
