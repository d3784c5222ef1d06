import { afterEach, describe, expect, it } from 'vitest';
import { addUser } from './auth';
import { listAuditEvents } from './audit-repository';
import { breakTheGlass, roleLimitsChartReading } from './break-glass';
import type { KatDatabase } from './database';
import { RecordStore } from './record-store';
import { freshClinic } from './test-support';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});
const person = (firstName: string) => ({
  firstName,
  lastName: 'Okafor',
  dateOfBirth: '1987-04-12',
  sexAtBirth: 'female' as const,
  active: true,
});

async function clinicWithManager() {
  const c = await freshClinic();
  opened.push(c.db);
  const maya = await c.store.create('patient', person('Maya'));
  const other = await c.store.create('patient', person('Ada'));
  const note = await c.store.create('note', {
    patientId: maya.id,
    templateId: 'soap',
    title: 'Dosing session',
    sections: { subjective: 'Reported chest tightness at 14:05' },
    timeline: [],
  });
  const otherNote = await c.store.create('note', {
    patientId: other.id,
    templateId: 'soap',
    title: 'Prep',
    sections: {},
    timeline: [],
  });
  const jordan = await addUser(c.store, {
    displayName: 'Jordan Lee',
    username: 'jordan',
    roles: ['practice-manager'],
    passphrase: 'a long enough passphrase',
  });
  let clock = new Date();
  const manager = new RecordStore(c.db, { ...c.session, user: jordan }, () => clock);
  const later = (minutes: number) => (clock = new Date(clock.getTime() + minutes * 60_000));
  return { ...c, maya, other, note, otherNote, manager, later };
}

describe('emergency access (break the glass)', () => {
  it('lets a practice manager read one patient’s notes for an hour, audited with the reason', async () => {
    const { store, maya, note, manager, later } = await clinicWithManager();
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
    const { maya, other, otherNote, manager } = await clinicWithManager();
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
    const { db, session, maya, note, manager } = await clinicWithManager();
    await breakTheGlass(manager, maya.id, 'Patient collapsed in the waiting room');
    const afterUnlock = new RecordStore(db, { ...session, user: manager.session.user });
    await expect(afterUnlock.get('note', note.id)).rejects.toThrow(/does not allow/);
  });
});
