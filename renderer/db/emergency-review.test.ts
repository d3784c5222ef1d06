import { afterEach, describe, expect, it } from 'vitest';
import { breakTheGlass } from './break-glass';
import type { KatDatabase } from './database';
import {
  emergencyUsesToReview,
  listEmergencyUses,
  recordEmergencyReview,
} from './emergency-review';
import { clinicWithManager } from './break-glass.fixtures';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

describe('emergency access review (issue 18 point 4)', () => {
  it('shows the administrator who opened which chart, why, and which note was read', async () => {
    const { store, maya, note, manager, later } = await clinicWithManager(opened);
    expect(await emergencyUsesToReview(store)).toBe(0);

    await breakTheGlass(manager, maya.id, 'Patient collapsed in the waiting room');
    later(2);
    await manager.get('note', note.id);
    await manager.audit('view', { recordKind: 'note', recordId: note.id, patientId: maya.id });
    // After the hour a chart view is an ordinary one again: not counted as read under the access.
    later(70);
    await manager.audit('view', { recordKind: 'patient', recordId: maya.id, patientId: maya.id });

    expect(await emergencyUsesToReview(store)).toBe(1);
    const [use] = await listEmergencyUses(store);
    expect(use).toMatchObject({
      userName: 'Jordan Lee',
      patientName: 'Okafor, Maya',
      reason: 'Patient collapsed in the waiting room',
      reads: [{ recordKind: 'note', recordId: note.id }],
    });
    expect(use!.review).toBeUndefined();
    // Not an administrator: the queue is the audit log, closed to other roles.
    expect(await emergencyUsesToReview(manager)).toBe(0);
    await expect(listEmergencyUses(manager)).rejects.toThrow(/Only an administrator/);
  });

  it('records a review once, with a finding, and never by the person who used the access', async () => {
    const { store, maya, manager } = await clinicWithManager(opened);
    await breakTheGlass(manager, maya.id, 'Crisis call from the patient’s partner');
    const [use] = await listEmergencyUses(store);

    await expect(recordEmergencyReview(store, use!.id, 'ok')).rejects.toThrow(/at least 10/);
    await expect(
      recordEmergencyReview(manager, use!.id, 'Looks fine to me, honestly'),
    ).rejects.toThrow(/Only an administrator/);
    expect(await emergencyUsesToReview(store)).toBe(1);

    await recordEmergencyReview(store, use!.id, 'Real crisis; only the last note was read.');
    expect(await emergencyUsesToReview(store)).toBe(0);
    const [reviewed] = await listEmergencyUses(store);
    expect(reviewed!.review).toMatchObject({
      userName: store.session.user.displayName,
      finding: 'Real crisis; only the last note was read.',
    });
    await expect(
      recordEmergencyReview(store, use!.id, 'A second opinion on the same access'),
    ).rejects.toThrow(/already reviewed/);
    await expect(
      recordEmergencyReview(store, '01890000-0000-7000-8000-000000000000', 'No such access here'),
    ).rejects.toThrow(/not in this computer/);
  });

  it('counts an administrator’s own use for the other administrators, not for them', async () => {
    const { store, maya } = await clinicWithManager(opened);
    // An administrator's role does not read outcome measures, so they too may open a chart so.
    await breakTheGlass(store, maya.id, 'Checking a measure during a crisis call');
    expect(await emergencyUsesToReview(store)).toBe(0);
    const [own] = await listEmergencyUses(store);
    expect(own!.review).toBeUndefined();
    await expect(
      recordEmergencyReview(store, own!.id, 'Looks fine to me, I was there'),
    ).rejects.toThrow(/Another administrator/);
  });
});
