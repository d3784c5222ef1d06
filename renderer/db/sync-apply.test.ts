import { afterEach, describe, expect, it } from 'vitest';
import type { AnyRecord, SessionNote } from '../../shared/model';
import { HybridClock } from '../../shared/sync/hlc';
import { uuidv7 } from '../../shared/util/ids';
import { KatDatabase } from './database';
import { RecordStore } from './record-store';
import type { Session } from './session';
import { type RemoteBundle, applyRemotePage } from './sync-apply';
import { listHeld } from './sync-held';
import { openIssues, readPosition } from './sync-state';
import { addMaya, freshClinic } from './test-support';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

let n = 0;
/** Two devices of one clinic: same data key and user, separate databases and clocks. */
async function twoDevices() {
  const a = await freshClinic();
  const dbB = new KatDatabase(`sync-apply-b-${Date.now()}-${n++}`);
  opened.push(a.db, dbB);
  const sessionB: Session = {
    ...a.session,
    deviceId: 'deviceb',
    clock: new HybridClock('deviceb'),
  };
  const b = { db: dbB, session: sessionB, store: new RecordStore(dbB, sessionB) };
  let seq = 0;
  /** Deliver records to a device as one pulled page, as the engine does. */
  const deliver = (to: { db: KatDatabase; session: Session }, records: AnyRecord[]) =>
    applyRemotePage({ db: to.db, ...to.session }, [bundle(++seq, records)], {
      cursor: seq,
      epoch: 'e'.repeat(32),
    });
  return { a, b, deliver };
}

function bundle(seq: number, records: AnyRecord[]): RemoteBundle {
  return {
    seq,
    bundleId: uuidv7(),
    fromDevice: uuidv7(),
    changes: records.map((record) => ({ changeId: uuidv7(), record, hlc: record.updatedAt })),
  };
}

async function draftNote(store: RecordStore, text: string): Promise<SessionNote> {
  const patient = await addMaya(store);
  return store.create('note', {
    patientId: patient.id,
    templateId: 'soap',
    title: 'Integration session',
    sections: { subjective: text },
    timeline: [],
  });
}

const notesOf = (store: RecordStore) => store.listKind('note');

describe('applying pulled records', () => {
  it('takes in a new record and advances the cursor with it', async () => {
    const { a, b, deliver } = await twoDevices();
    const note = await draftNote(a.store, 'Feels calmer this week');
    const result = await deliver(b, [note]);
    expect(result.written.map((r) => r.id)).toEqual([note.id]);
    expect((await b.store.get('note', note.id))?.sections.subjective).toBe(
      'Feels calmer this week',
    );
    expect((await readPosition(b.db))?.cursor).toBe(1);
  });

  it('refuses a remote edit of a signed note and reports it in plain words', async () => {
    const { a, b, deliver } = await twoDevices();
    const note = await draftNote(a.store, 'Tolerated infusion well');
    const signed = await a.store.sign('note', note.id);
    await deliver(b, [signed]);
    const forged = {
      ...signed,
      sections: { subjective: 'Rewritten after signing' },
      updatedAt: a.session.clock.now(),
    } as AnyRecord;
    const result = await deliver(b, [forged]);
    expect(result.rejected).toBe(1);
    expect((await b.store.get('note', note.id))?.sections.subjective).toBe(
      'Tolerated infusion well',
    );
    const issues = await openIssues(b.db);
    expect(issues[0]?.message).toMatch(/already signed/);
    expect((await readPosition(b.db))?.cursor).toBe(2);
  });

  it('keeps both versions when the same draft was edited on two devices', async () => {
    const { a, b, deliver } = await twoDevices();
    const note = await draftNote(a.store, 'Start');
    await deliver(b, [note]);
    const fromA = await a.store.update('note', note.id, () => ({
      sections: { subjective: 'Text typed on the laptop' },
    }));
    await b.store.update('note', note.id, () => ({
      sections: { subjective: 'Text typed on the front-desk PC' },
    }));
    const result = await deliver(b, [fromA]);
    expect(result.conflicts).toBe(1);
    const notes = await notesOf(b.store);
    const texts = notes.map((x) => x.sections.subjective).sort();
    expect(texts).toEqual(['Text typed on the front-desk PC', 'Text typed on the laptop']);
    const copy = notes.find((x) => x.id !== note.id)!;
    expect(copy.conflictWith).toBe(note.id);
    // The copy travels to the other devices like any local change.
    expect(await b.db.outbox.where('recordId').equals(copy.id).count()).toBe(1);
  });

  it('keeps a concurrent edit when the other device marked the draft entered in error', async () => {
    const { a, b, deliver } = await twoDevices();
    const note = await draftNote(a.store, 'Start');
    await deliver(b, [note]);
    const marked = await a.store.markEnteredInError('note', note.id, 'Wrong patient chart');
    await b.store.update('note', note.id, () => ({
      sections: { subjective: 'Observations added meanwhile' },
    }));
    await deliver(b, [marked]);
    const notes = await notesOf(b.store);
    expect(notes.find((x) => x.id === note.id)?.status).toBe('entered-in-error');
    const copy = notes.find((x) => x.id !== note.id);
    expect(copy?.sections.subjective).toBe('Observations added meanwhile');
    expect(copy?.status).toBe('draft');
  });

  it('treats a duplicate delivery as nothing new', async () => {
    const { a, b, deliver } = await twoDevices();
    const note = await draftNote(a.store, 'Once');
    await deliver(b, [note]);
    const again = await deliver(b, [note]);
    expect(again.written).toEqual([]);
    expect(await notesOf(b.store)).toHaveLength(1);
  });

  it('takes in a signed note first seen signed, and ignores it when it comes again later', async () => {
    const { a, b, deliver } = await twoDevices();
    const note = await draftNote(a.store, 'Dosed 0.5 mg/kg IV over 40 minutes');
    const signed = await a.store.sign('note', note.id);
    await deliver(b, [signed]);
    // Stored without a sync row of its own: the stored version is the one seen.
    expect(await b.db.syncSeen.get(note.id)).toBeUndefined();
    const marked = await a.store.markEnteredInError('note', note.id, 'Wrong patient chart');
    await deliver(b, [marked]);
    // Both came from the same computer: its latest clock stands for every version before it.
    expect((await b.db.syncSeen.get(note.id))?.vv).toEqual({
      [a.session.deviceId]: marked.updatedAt,
    });
    // The signed version again (a server restored from backup sends everything again).
    const again = await deliver(b, [signed]);
    expect(again.written).toEqual([]);
    expect(again.rejected).toBe(0);
    const notes = await notesOf(b.store);
    expect(notes.map((x) => x.status)).toEqual(['entered-in-error']);
  });

  it('lets the newer version of a draft win when only one side changed it', async () => {
    const { a, b, deliver } = await twoDevices();
    const note = await draftNote(a.store, 'First');
    await deliver(b, [note]);
    const newer = await a.store.update('note', note.id, () => ({
      sections: { subjective: 'Second' },
    }));
    await deliver(b, [newer]);
    const notes = await notesOf(b.store);
    expect(notes.map((x) => x.sections.subjective)).toEqual(['Second']);
  });

  it('holds a change whose clock is far ahead below the cursor, with plain words', async () => {
    const { a, b, deliver } = await twoDevices();
    const note = await draftNote(a.store, 'From the future');
    const ahead = {
      ...note,
      updatedAt: `${String(Date.now() + 3_600_000).padStart(15, '0')}:00000:a1`,
    };
    const result = await deliver(b, [ahead as AnyRecord]);
    expect(result.held).toBe(1);
    expect(await b.store.get('note', note.id)).toBeUndefined();
    expect((await readPosition(b.db))?.cursor).toBe(1); // the cursor moves on; the change waits
    const [held] = await listHeld(b.db);
    expect(held?.changes?.[0]).toMatchObject({ reason: 'clock-ahead', recordId: note.id });
    expect(held?.changes?.[0]?.message).toMatch(/about 60 minutes ahead of this one/);
    expect(held?.changes?.[0]?.retryAt).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it('holds a record of a kind a newer version of KAT Chart made, and quarantines junk', async () => {
    const { a, b, deliver } = await twoDevices();
    const note = await draftNote(a.store, 'A kind from the future');
    const newer = { ...note, kind: 'visit-summary', id: uuidv7() };
    const junk = { ...note, id: uuidv7(), status: 'bogus' };
    const result = await deliver(b, [newer as never, junk as never]);
    expect(result.held).toBe(1);
    expect(result.rejected).toBe(1);
    const [held] = await listHeld(b.db);
    expect(held?.changes?.map((c) => c.reason)).toEqual(['needs-update']);
    expect((await openIssues(b.db)).map((i) => i.kind)).toEqual(['rejected-change']);
  });
});
