import { afterEach, describe, expect, it } from 'vitest';
import { addUser, signIn } from './auth';
import {
  coSignNote,
  coSignatureWork,
  noteCoSignature,
  returnNote,
  setSupervisor,
} from './co-signature-repository';
import type { KatDatabase } from './database';
import { addNoteAddendum, saveNoteDraft, signNote, startNote } from './notes-repository';
import { RecordStore } from './record-store';
import { addMaya, freshClinic } from './test-support';

const template = {
  templateKey: 'integration-session',
  name: 'Integration session',
  sections: [{ key: 'themes', label: 'Themes', hint: '' }],
};
const ARI_PASS = 'quiet forest path';
const LEE_PASS = 'paper lanterns float';
const KIM_PASS = 'seven red kites';
let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

/** Ari, an associate therapist, is supervised by Lee; Kim is another therapist. */
async function clinic() {
  const c = await freshClinic();
  opened.push(c.db);
  const user = (displayName: string, username: string, passphrase: string) =>
    addUser(c.store, { displayName, username, roles: ['therapist'], passphrase });
  const ari = await user('Ari Novak', 'ari', ARI_PASS);
  const lee = await user('Lee Park', 'lee', LEE_PASS);
  await user('Kim Soto', 'kim', KIM_PASS);
  await setSupervisor(c.store, ari.id, lee.id);
  const maya = await addMaya(c.store);
  const as = async (name: string, pass: string) =>
    new RecordStore(c.db, await signIn(c.db, name, pass));
  return { c, ari, lee, maya, ariStore: await as('ari', ARI_PASS), as };
}

async function signedNoteBy(store: RecordStore, patientId: string, text: string) {
  const draft = await startNote(store, { patientId, template, visitKind: 'integration' });
  await saveNoteDraft(store, draft.id, draft.updatedAt, { sections: { themes: text } });
  return signNote(store, draft.id);
}

describe('supervisor co-signature (issue 16 point 6)', () => {
  it('a supervised note is signed, asks the supervisor, and is co-signed without changing it', async () => {
    const { c, lee, maya, ariStore, as } = await clinic();
    const note = await signedNoteBy(ariStore, maya.id, 'Grief; reconnecting with brother');
    expect(note.status).toBe('signed');
    expect(await noteCoSignature(ariStore, note)).toMatchObject({
      state: 'requested',
      supervisorId: lee.id,
    });
    const leeStore = await as('lee', LEE_PASS);
    expect((await coSignatureWork(leeStore)).requests.map((i) => i.note.id)).toEqual([note.id]);

    const co = await coSignNote(leeStore, note.id, LEE_PASS);
    expect(co).toMatchObject({ decision: 'co-signed', status: 'signed', createdBy: lee.id });
    expect(co.signature?.byName).toBe('Lee Park');
    expect(await c.store.get('note', note.id)).toEqual(note);
    expect((await noteCoSignature(leeStore, note)).state).toBe('co-signed');
    expect((await coSignatureWork(leeStore)).requests).toEqual([]);

    const actions = (await c.db.audit.toArray()).map((e) => e.action);
    expect(actions).toContain('co-signature-requested');
    expect(actions).toContain('co-signed');
  });

  it('refuses co-signing one’s own note, a colleague who is not the supervisor, and twice', async () => {
    const { maya, ariStore, as } = await clinic();
    const note = await signedNoteBy(ariStore, maya.id, 'Sleep improving');
    await expect(coSignNote(ariStore, note.id, ARI_PASS)).rejects.toThrow(/your own note/);
    const kim = await as('kim', KIM_PASS);
    await expect(coSignNote(kim, note.id, KIM_PASS)).rejects.toThrow(/Only the supervisor/);
    const lee = await as('lee', LEE_PASS);
    await coSignNote(lee, note.id, LEE_PASS);
    await expect(coSignNote(lee, note.id, LEE_PASS)).rejects.toThrow(/already co-signed/);
    expect(await lee.listByPatient('co-signature', maya.id)).toHaveLength(2);
  });

  it('a wrong passphrase changes nothing', async () => {
    const { c, maya, ariStore, as } = await clinic();
    const note = await signedNoteBy(ariStore, maya.id, 'Sleep improving');
    const lee = await as('lee', LEE_PASS);
    const before = await c.db.records.count();
    const audits = await c.db.audit.count();
    await expect(coSignNote(lee, note.id, 'not my passphrase')).rejects.toThrow(/not correct/);
    await expect(returnNote(lee, note.id, 'not my passphrase', 'Say more')).rejects.toThrow(
      /not correct/,
    );
    expect(await c.db.records.count()).toBe(before);
    expect(await c.db.audit.count()).toBe(audits);
    expect((await noteCoSignature(lee, note)).state).toBe('requested');
  });

  it('a returned note waits for its author’s addendum, then asks again', async () => {
    const { maya, ariStore, as } = await clinic();
    const note = await signedNoteBy(ariStore, maya.id, 'Discussed session');
    const lee = await as('lee', LEE_PASS);
    await expect(returnNote(lee, note.id, LEE_PASS, '')).rejects.toThrow(/what the author/);
    await returnNote(lee, note.id, LEE_PASS, 'Please record the C-SSRS screen result');
    expect((await coSignatureWork(ariStore)).returned.map((i) => i.note.id)).toEqual([note.id]);
    expect((await coSignatureWork(lee)).requests).toEqual([]);
    await expect(coSignNote(lee, note.id, LEE_PASS)).rejects.toThrow(/returned to its author/);

    await addNoteAddendum(ariStore, note.id, 'C-SSRS screen negative.', 'Supervisor asked');
    expect((await coSignatureWork(ariStore)).returned).toEqual([]);
    expect((await coSignatureWork(lee)).requests.map((i) => i.note.id)).toEqual([note.id]);
    await coSignNote(lee, note.id, LEE_PASS);
    expect((await noteCoSignature(lee, note)).state).toBe('co-signed');
    const actions = (await lee.db.audit.toArray()).map((e) => e.action);
    expect(actions).toContain('co-signature-returned');
  });

  it('an unsupervised clinician’s note asks nobody; only an administrator sets supervision', async () => {
    const { ari, lee, maya, as } = await clinic();
    const kim = await as('kim', KIM_PASS);
    const note = await signedNoteBy(kim, maya.id, 'Plain note');
    expect((await noteCoSignature(kim, note)).state).toBe('not-asked');
    await expect(setSupervisor(kim, ari.id, null)).rejects.toThrow(/does not allow/);
    await expect(setSupervisor(await as('lee', LEE_PASS), lee.id, null)).rejects.toThrow(
      /does not allow/,
    );
  });

  it('supervision ends: later notes ask nobody', async () => {
    const { c, ari, maya, ariStore } = await clinic();
    await setSupervisor(c.store, ari.id, null);
    expect((await c.store.get('user', ari.id))?.supervisorId).toBeNull();
    const note = await signedNoteBy(ariStore, maya.id, 'After supervision');
    expect((await noteCoSignature(ariStore, note)).state).toBe('not-asked');
    await expect(setSupervisor(c.store, ari.id, ari.id)).rejects.toThrow(/themselves/);
  });
});
