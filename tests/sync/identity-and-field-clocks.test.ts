/**
 * Issue 14 finding 5: what a record is never changes in a merge, and clocks from outside — the
 * record's, each field's, each entry of what a version has seen — are checked for drift. A
 * remote version that changes kind, patient, author or creation time is set aside and listed;
 * a far-future field clock cannot pin a field.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyRecord, SessionNote } from '../../shared/model';
import { HybridClock, formatHlc } from '../../shared/sync/hlc';
import { uuidv7 } from '../../shared/util/ids';
import { KatDatabase } from '../../renderer/db/database';
import { RecordStore } from '../../renderer/db/record-store';
import type { Session } from '../../renderer/db/session';
import { applyRemotePage } from '../../renderer/db/sync-apply';
import { listHeld } from '../../renderer/db/sync-held';
import { openIssues } from '../../renderer/db/sync-state';
import { addMaya, freshClinic } from '../../renderer/db/test-support';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

let n = 0;
async function twoDevices() {
  const a = await freshClinic();
  const dbB = new KatDatabase(`identity-b-${Date.now()}-${n++}`);
  opened.push(a.db, dbB);
  const sessionB: Session = {
    ...a.session,
    deviceId: 'deviceb',
    clock: new HybridClock('deviceb'),
  };
  const b = { db: dbB, session: sessionB, store: new RecordStore(dbB, sessionB) };
  let seq = 0;
  const deliver = (
    records: AnyRecord[],
    extra: { fields?: Record<string, string>; seen?: string[] } = {},
    bundleId = uuidv7(),
  ) => {
    seq++;
    return applyRemotePage(
      { db: b.db, ...b.session },
      [
        {
          seq,
          bundleId,
          fromDevice: uuidv7(),
          changes: records.map((record) => ({
            changeId: uuidv7(),
            record,
            hlc: record.updatedAt,
            ...extra,
          })),
        },
      ],
      { cursor: seq, epoch: 'e'.repeat(32) },
    );
  };
  return { a, b, deliver };
}

async function sharedDraft() {
  const d = await twoDevices();
  const patient = await addMaya(d.a.store);
  const note: SessionNote = await d.a.store.create('note', {
    patientId: patient.id,
    templateId: 'soap',
    title: 'Integration session',
    sections: { subjective: 'Slept better this week' },
    timeline: [],
  });
  await d.deliver([patient, note]);
  return { ...d, patient, note };
}

describe('identity fields never change in a merge', () => {
  const otherId = uuidv7();
  const changes: [string, (n: SessionNote) => AnyRecord][] = [
    ['patientId', (x) => ({ ...x, patientId: otherId })],
    ['createdBy', (x) => ({ ...x, createdBy: otherId })],
    ['createdAt', (x) => ({ ...x, createdAt: '2020-01-01T09:00:00.000Z' })],
    [
      'kind',
      (x) =>
        ({
          kind: 'integration-summary',
          ...Object.fromEntries(
            [
              'id',
              'clinicId',
              'createdBy',
              'createdAt',
              'status',
              'schemaVersion',
              'patientId',
            ].map((k) => [k, (x as Record<string, unknown>)[k]]),
          ),
          insights: 'Rewritten as a summary',
        }) as AnyRecord,
    ],
  ];
  for (const [field, change] of changes)
    it(`a remote draft that changes ${field} is set aside and listed; the draft stays as it was`, async () => {
      const { a, b, deliver, note } = await sharedDraft();
      const hostile = {
        ...change(note),
        sections: { subjective: 'Text from the hostile version' },
        updatedAt: a.session.clock.now(),
      } as AnyRecord;
      if (hostile.kind !== 'note') delete (hostile as Record<string, unknown>).sections;
      const bundleId = uuidv7();
      const result = await deliver([hostile], {}, bundleId);
      expect(result.rejected).toBe(1);
      expect(result.written).toEqual([]);
      const stored = (await b.db.records.get(note.id))!;
      expect(stored.kind).toBe('note');
      const here = (await b.store.get('note', note.id))!;
      expect(here).toMatchObject({
        patientId: note.patientId,
        createdBy: note.createdBy,
        createdAt: note.createdAt,
        sections: { subjective: 'Slept better this week' },
      });
      const issues = await openIssues(b.db);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ kind: 'rejected-change', recordId: note.id });
      expect(issues[0]!.message).toMatch(/never changes, so the change was set aside/);
      // Delivered again (a replay, a quarantine retry): still refused, listed once.
      await deliver([hostile], {}, bundleId);
      expect(await openIssues(b.db)).toHaveLength(1);
    });

  it('an ordinary edit of the same draft still merges', async () => {
    const { a, deliver, b, note } = await sharedDraft();
    const edit = await a.store.update('note', note.id, () => ({ title: 'Week 3' }));
    const result = await deliver([edit]);
    expect(result.rejected).toBe(0);
    expect((await b.store.get('note', note.id))?.title).toBe('Week 3');
  });
});

describe('clocks from outside are drift-checked', () => {
  const hoursAhead = (h: number, node = 'laptop') =>
    formatHlc({ wallMs: Date.now() + h * 3_600_000, counter: 0, node });

  it('a field clock hours in the future on a present-day change is refused and cannot pin the field', async () => {
    const { a, b, deliver, note } = await sharedDraft();
    const edit = await a.store.update('note', note.id, () => ({
      sections: { subjective: 'Pinned text' },
    }));
    const result = await deliver([edit], { fields: { sections: hoursAhead(3) } });
    expect(result.rejected).toBe(1);
    expect((await openIssues(b.db))[0]!.message).toMatch(/field time later than the change itself/);
    // Had it been taken, every later edit of the field here would lose to it for three hours.
    await b.store.update('note', note.id, () => ({ sections: { subjective: 'Typed here later' } }));
    expect((await b.store.get('note', note.id))?.sections.subjective).toBe('Typed here later');
  });

  it('a change whose own clock and field clocks are hours ahead waits, and is not lost', async () => {
    const { a, b, deliver, note } = await sharedDraft();
    const ahead = hoursAhead(2);
    const edit = {
      ...(await a.store.update('note', note.id, () => ({ title: 'From the fast laptop' }))),
      updatedAt: ahead,
    } as AnyRecord;
    const result = await deliver([edit], { fields: { title: ahead } });
    expect(result.held).toBe(1);
    expect((await b.store.get('note', note.id))?.title).toBe('Integration session');
    const held = await listHeld(b.db);
    expect(held).toHaveLength(1);
    expect(held[0]!.changes?.[0]?.reason).toBe('clock-ahead');
  });

  it('a version claiming to have seen a write hours in the future waits', async () => {
    const { a, b, deliver, note } = await sharedDraft();
    const edit = await a.store.update('note', note.id, () => ({ title: 'Seen the future' }));
    const result = await deliver([edit], { seen: [hoursAhead(5, 'tablet')] });
    expect(result.held).toBe(1);
    expect((await b.store.get('note', note.id))?.title).toBe('Integration session');
  });
});
