import { afterEach, describe, expect, it } from 'vitest';
import { listAuditEvents } from './audit-repository';
import { breakTheGlass, roleLimitsChartReading } from './break-glass';
import type { KatDatabase } from './database';
import { RecordStore } from './record-store';
import { clinicWithManager } from './break-glass.fixtures';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});
describe('emergency access (break the glass)', () => {
  it('lets a practice manager read one patient’s notes for an hour, audited with the reason', async () => {
    const { store, maya, note, manager, later } = await clinicWithManager(opened);
    expect(roleLimitsChartReading(manager)).toBe(true);
    await expect(manager.get('note', note.id)).rejects.toThrow(/does not allow viewing/);
    expect((await manager.patientRecords(maya.id)).map((r) => r.kind)).toEqual(['patient']);

    await breakTheGlass(manager, maya.id, 'Patient collapsed in the waiting room');
    expect((await manager.get('note', note.id))?.sections).toEqual({
      subjective: 'Reported chest tightness at 14:05',
    });
    expect(await manager.listByPatient('note', maya.id)).toHaveLength(1);
    expect((await manager.patientRecords(maya.id)).map((r) => r.kind).sort()).toEqual([
      'note',
      'patient',
    ]);
    const [event] = await listAuditEvents(store, { action: 'break-glass' });
    expect(event).toMatchObject({
      userName: 'Jordan Lee',
      patientId: maya.id,
      detail: 'Emergency access for 60 minutes: Patient collapsed in the waiting room',
    });

    later(61);
    await expect(manager.get('note', note.id)).rejects.toThrow(/does not allow viewing/);
  });

  it('covers only that patient, only reading, and needs a real reason', async () => {
    const { maya, other, otherNote, manager } = await clinicWithManager(opened);
    await expect(breakTheGlass(manager, maya.id, 'need it')).rejects.toThrow(/Say why/);
    await expect(manager.get('note', otherNote.id)).rejects.toThrow(/does not allow/);
    await breakTheGlass(manager, maya.id, 'Crisis call from the patient’s partner');
    await expect(manager.get('note', otherNote.id)).rejects.toThrow(/does not allow/);
    await expect(manager.listByPatient('note', other.id)).rejects.toThrow(/does not allow/);
    await expect(manager.listKind('note')).rejects.toThrow(/does not allow/);
    await expect(
      manager.create('note', {
        patientId: maya.id,
        templateId: 'soap',
        title: 'x',
        sections: {},
        timeline: [],
      }),
    ).rejects.toThrow(/does not allow recording/);
  });

  it('ends with the session: a new store after unlock starts without it', async () => {
    const { db, session, maya, note, manager } = await clinicWithManager(opened);
    await breakTheGlass(manager, maya.id, 'Patient collapsed in the waiting room');
    const afterUnlock = new RecordStore(db, { ...session, user: manager.session.user });
    await expect(afterUnlock.get('note', note.id)).rejects.toThrow(/does not allow/);
  });
});
