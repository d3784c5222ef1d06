import { afterEach, describe, expect, it } from 'vitest';
import { addUser } from './auth';
import { listAuditEvents } from './audit-repository';
import { breakTheGlass, emergencyAccessWouldOpen, restrictedDays } from './break-glass';
import type { KatDatabase } from './database';
import { RecordStore } from './record-store';
import { addMaya, freshClinic } from './test-support';
import { AccessRefusedError } from './access-refused';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

const settle = () => new Promise((r) => setTimeout(r, 50));

async function clinic() {
  const c = await freshClinic();
  opened.push(c.db);
  const maya = await addMaya(c.store);
  const note = await c.store.create('note', {
    patientId: maya.id,
    templateId: 'soap',
    title: 'Dosing session',
    sections: { subjective: 'Reported chest tightness at 14:05' },
    timeline: [],
  });
  const user = async (username: string, role: 'practice-manager' | 'therapist') =>
    new RecordStore(c.db, {
      ...c.session,
      user: await addUser(c.store, {
        displayName: username,
        username,
        roles: [role],
        passphrase: 'a long enough passphrase for tests',
      }),
    });
  return { ...c, maya, note, manager: await user('jordan', 'practice-manager'), user };
}

describe('refused access (issue 18 point 3)', () => {
  it('is refused with the chart it belongs to, and logged once however often it is retried', async () => {
    const { store, maya, note, manager } = await clinic();
    const refused = await manager.get('note', note.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AccessRefusedError);
    expect(refused).toMatchObject({ kind: 'note', patientId: maya.id, action: 'read' });
    // A live query re-running the same read does not flood the log.
    for (let i = 0; i < 5; i++) await manager.get('note', note.id).catch(() => {});
    await manager.listKind('note').catch(() => {});
    await settle();
    const events = await listAuditEvents(store, { action: 'access-refused' });
    expect(events.map((e) => [e.userName, e.recordKind, e.patientName])).toEqual([
      ['jordan', 'note', ''],
      ['jordan', 'note', 'Okafor, Maya'],
    ]);
    expect(events[1]!.detail).toMatch(/does not allow viewing notes/);
  });

  it('logs a refused write too, and the write changes nothing', async () => {
    const { store, maya, manager } = await clinic();
    await expect(
      manager.create('note', {
        patientId: maya.id,
        templateId: 'soap',
        title: 'x',
        sections: {},
        timeline: [],
      }),
    ).rejects.toThrow(/does not allow recording/);
    await settle();
    const [event] = await listAuditEvents(store, { action: 'access-refused' });
    expect(event).toMatchObject({ recordKind: 'note', patientId: maya.id });
    expect(await store.listByPatient('note', maya.id)).toHaveLength(1);
  });
});

describe('emergency access is offered only where it grants something (point 4)', () => {
  it('never to a therapist, who already reads the whole chart; to a manager where notes exist', async () => {
    const { maya, manager, user, store } = await clinic();
    const dana = await user('dana', 'therapist');
    expect(await emergencyAccessWouldOpen(dana, maya.id)).toBe(0);
    expect(await emergencyAccessWouldOpen(manager, maya.id)).toBe(1);
    const ada = await store.create('patient', {
      ...(await store.get('patient', maya.id))!,
      firstName: 'Ada',
    } as never);
    expect(await emergencyAccessWouldOpen(manager, ada.id)).toBe(0);
    expect([...(await restrictedDays(manager, maya.id)).values()].map((k) => [...k])).toEqual([
      ['note'],
    ]);
  });

  it('marks every read made under it, note by note', async () => {
    const { store, maya, note, manager } = await clinic();
    await breakTheGlass(manager, maya.id, 'Patient collapsed in the waiting room');
    await manager.audit('view', { recordKind: 'note', recordId: note.id, patientId: maya.id });
    const [view] = await listAuditEvents(store, { action: 'view' });
    expect(view).toMatchObject({ recordKind: 'note', recordId: note.id, userName: 'jordan' });
    expect(view!.detail).toBe('Under emergency access');
    expect(await emergencyAccessWouldOpen(manager, maya.id)).toBe(0); // already open
  });
});
