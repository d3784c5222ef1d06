import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/util/ids';
import type { KatDatabase } from './database';
import { RecordStore } from './record-store';
import { addMaya, freshClinic } from './test-support';
import {
  goalsFromPreparation,
  patientTreatmentPlan,
  plansDue,
  signTreatmentPlan,
  type TreatmentPlanInput,
} from './treatment-plan-repository';

const opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened.length = 0;
});

async function clinic() {
  const c = await freshClinic();
  opened.push(c.db);
  await c.store.create('clinic-settings', {
    clinicName: 'Harbor Ketamine Clinic',
    timeZone: 'UTC',
  } as never);
  const patient = await addMaya(c.store);
  return { ...c, patientId: patient.id };
}

const plan = (patientId: string): TreatmentPlanInput => ({
  patientId,
  program: 'in-office-iv',
  route: 'iv-infusion',
  plannedDoses: 6,
  frequency: 'twice-a-week',
  integrationAfterEach: true,
  maintenanceIntervalWeeks: 4,
  goals: 'Sleep through the night; return to work',
  startsOn: '2026-12-01',
});

async function signedDose(store: RecordStore, patientId: string, day: string) {
  const me = store.session.user.id;
  const d = await store.create('dose', {
    patientId,
    encounterId: uuidv7(),
    medication: 'ketamine-hcl',
    route: 'iv-infusion',
    doseMg: 35,
    infusionStart: `${day}T15:00:00.000Z`,
    prescriberId: me,
    administeredBy: me,
  } as never);
  return store.sign('dose', d.id);
}

describe('treatment plans', () => {
  it('is signed, audited and synced like any record; progress counts the signed doses', async () => {
    const { store, db, patientId } = await clinic();
    const signed = await signTreatmentPlan(
      store,
      plan(patientId),
      undefined,
      new Date('2026-11-30T10:00:00Z'),
    );
    expect(signed.status).toBe('signed');
    expect(signed.signature?.byName).toBeTruthy();
    const row = await db.records.get(signed.id);
    expect(JSON.stringify(row)).not.toContain('Sleep through the night'); // encrypted at rest
    expect(await db.outbox.where('recordId').equals(signed.id).count()).toBe(1);
    const audit = await db.audit.filter((a) => a.recordId === signed.id).toArray();
    expect(audit.map((a) => a.action)).toEqual(['create']);

    await signedDose(store, patientId, '2026-12-01');
    await signedDose(store, patientId, '2026-12-04');
    const now = await patientTreatmentPlan(store, patientId, new Date('2026-12-05T12:00:00Z'));
    expect(now?.progress).toMatchObject({ given: 2, planned: 6 });
    expect(now?.progress?.next).toMatchObject({ number: 3, due: '2026-12-07', state: 'upcoming' });
  });

  it('a revision replaces the plan in force and keeps the old; a stale revision is refused', async () => {
    const { store, patientId } = await clinic();
    const first = await signTreatmentPlan(store, plan(patientId), undefined);
    await expect(signTreatmentPlan(store, plan(patientId), undefined)).rejects.toMatchObject({
      code: 'plan.revised-meanwhile',
    });
    const second = await signTreatmentPlan(
      store,
      { ...plan(patientId), plannedDoses: 8 },
      first.id,
    );
    expect(second.revises).toBe(first.id);
    const found = await patientTreatmentPlan(store, patientId);
    expect(found?.plan.id).toBe(second.id);
    expect(found?.versions.map((v) => v.id)).toEqual([second.id, first.id]);
    await expect(signTreatmentPlan(store, plan(patientId), first.id)).rejects.toMatchObject({
      code: 'plan.revised-meanwhile',
    });
  });

  it('a practice manager may neither read nor sign a plan (minimum necessary)', async () => {
    const { store, db, session, patientId } = await clinic();
    const manager = new RecordStore(db, {
      ...session,
      user: { ...session.user, roles: ['practice-manager'] },
    });
    await expect(signTreatmentPlan(manager, plan(patientId), undefined)).rejects.toMatchObject({
      code: 'permission.denied',
    });
    await signTreatmentPlan(store, plan(patientId), undefined);
    await expect(patientTreatmentPlan(manager, patientId)).rejects.toMatchObject({
      code: 'permission.denied',
    });
  });

  it('a plan without a number of doses is refused with the reason', async () => {
    const { store, patientId } = await clinic();
    await expect(
      signTreatmentPlan(store, { ...plan(patientId), plannedDoses: 0 }, undefined),
    ).rejects.toThrow(/Plan at least one dosing session/);
  });

  it('reminds of a dose overdue and of maintenance due, not of one still ahead', async () => {
    const { store, patientId } = await clinic();
    const other = await store.create('patient', {
      firstName: 'Lee',
      lastName: 'Ames',
      dateOfBirth: '1990-01-01',
      active: true,
    } as never);
    await signTreatmentPlan(store, plan(patientId), undefined);
    await signTreatmentPlan(store, { ...plan(other.id), plannedDoses: 1 }, undefined);
    await signedDose(store, patientId, '2026-12-01'); // dose 2 due 12-04
    await signedDose(store, other.id, '2026-12-01'); // course done; maintenance due 12-29
    const on = (day: string) =>
      plansDue(store, [patientId, other.id], new Date(`${day}T12:00:00Z`));
    expect(await on('2026-12-03')).toEqual([]);
    const late = await on('2026-12-06');
    expect(late.map((r) => [r.patientId, r.progress.next.what, r.progress.next.daysLate])).toEqual([
      [patientId, 'dose', 2],
    ]);
    const both = await on('2026-12-29');
    expect(both.map((r) => r.progress.next.what)).toEqual(['dose', 'maintenance']);
  });

  it('offers the intentions of the preparation note as goals', async () => {
    const { store, patientId } = await clinic();
    expect(await goalsFromPreparation(store, patientId)).toBeUndefined();
    const note = await store.create('note', {
      patientId,
      templateId: 'kap-preparation',
      title: 'KAP preparation session',
      sections: { intentions: 'Feel less numb' },
    } as never);
    expect(await goalsFromPreparation(store, patientId)).toMatchObject({
      noteId: note.id,
      text: 'Feel less numb',
    });
  });
});
