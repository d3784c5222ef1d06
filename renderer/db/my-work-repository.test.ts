import { afterEach, describe, expect, it } from 'vitest';
import type { KatDatabase } from './database';
import { myWorkToday } from './my-work-repository';
import { recordMeasure } from './measures-repository';
import { saveNoteDraft, startNote } from './notes-repository';
import { addMaya, freshClinic } from './test-support';
import { signTreatmentPlan } from './treatment-plan-repository';
import { clinicDay } from '../../shared/rules/dosing/clinic-day';
import { uuidv7 } from '../../shared/util/ids';

const soap = {
  templateKey: 'soap',
  name: 'SOAP note',
  sections: [{ key: 'subjective', label: 'Subjective', hint: '' }],
};
const settings = { unsignedNoteAlertDays: 3 };
let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

async function setup() {
  const c = await freshClinic();
  opened.push(c.db);
  const patient = await addMaya(c.store);
  return { ...c, patient };
}

const at = (h: number, m = 0) => {
  const d = new Date();
  d.setHours(h, m, 0, 0);
  return d;
};

describe('my work today', () => {
  it('lists today’s visit booked with me and what it needs, and not a colleague’s', async () => {
    const { store, session, patient } = await setup();
    const booking = {
      patientId: patient.id,
      start: at(10).toISOString(),
      durationMinutes: 120,
      visitKind: 'dosing' as const,
      cancelled: false,
    };
    const mine = await store.create('appointment', { ...booking, clinicianId: session.user.id });
    const colleague = await store.create('user', {
      displayName: 'Jo Colleague',
      username: 'jo',
      roles: ['therapist'],
      active: true,
    });
    await store.create('appointment', { ...booking, clinicianId: colleague.id });
    const work = await myWorkToday(store, settings, at(9));
    expect(work.today.map((v) => v.appointment.id)).toEqual([mine.id]);
    expect(work.today[0]!.needs.map((n) => n.need)).toEqual([
      'note',
      'measure',
      'measure',
      'measure',
    ]);
  });

  it('lists my draft of an hour ago among the unsigned, and flags one past the clinic’s limit', async () => {
    const { store, patient } = await setup();
    const recent = await startNote(store, {
      patientId: patient.id,
      template: soap,
      visitKind: 'integration',
    });
    await saveNoteDraft(store, recent.id, recent.updatedAt, { title: 'Integration follow-up' });
    const work = await myWorkToday(store, settings, new Date(Date.now() + 3_600_000));
    expect(work.drafts).toMatchObject([
      { id: recent.id, title: 'Integration follow-up', overdue: false },
    ]);
    const later = await myWorkToday(store, settings, new Date(Date.now() + 4 * 86_400_000));
    expect(later.drafts[0]).toMatchObject({ overdue: true, ageDays: 4 });
  });

  it('shows an open suicide-risk alert on a patient I saw, until a newer measure clears it', async () => {
    const { store, patient } = await setup();
    await startNote(store, { patientId: patient.id, template: soap, visitKind: 'integration' });
    await recordMeasure(store, {
      patientId: patient.id,
      instrument: 'phq9',
      answers: [1, 1, 1, 1, 1, 1, 1, 1, 2],
      administeredAt: new Date(Date.now() - 60_000),
    });
    const work = await myWorkToday(store, settings);
    expect(work.alerts).toMatchObject([
      { patientId: patient.id, alerts: [{ code: 'phq9.item9' }] },
    ]);
    await recordMeasure(store, {
      patientId: patient.id,
      instrument: 'phq9',
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect((await myWorkToday(store, settings)).alerts).toEqual([]);
  });

  it('reminds me of a planned dose that is overdue for a patient I saw, not of one ahead', async () => {
    const { store, session, patient } = await setup();
    await startNote(store, { patientId: patient.id, template: soap, visitKind: 'integration' });
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
    await signTreatmentPlan(
      store,
      {
        patientId: patient.id,
        program: 'in-office-iv',
        route: 'iv-infusion',
        plannedDoses: 6,
        frequency: 'twice-a-week',
        integrationAfterEach: true,
        goals: '',
        startsOn: clinicDay(daysAgo(10)),
      },
      undefined,
    );
    const dose = async (when: Date) => {
      const d = await store.create('dose', {
        patientId: patient.id,
        encounterId: uuidv7(),
        medication: 'ketamine-hcl',
        route: 'iv-infusion',
        doseMg: 35,
        infusionStart: when.toISOString(),
        prescriberId: session.user.id,
        administeredBy: session.user.id,
      } as never);
      await store.sign('dose', d.id);
    };
    await dose(daysAgo(1));
    expect((await myWorkToday(store, settings)).reminders).toEqual([]);
    await dose(daysAgo(5)); // the latest is still a day ago: dose 3 due in 2 days
    expect((await myWorkToday(store, settings)).reminders).toEqual([]);
    const later = await myWorkToday(store, settings, new Date(Date.now() + 3 * 86_400_000));
    expect(later.reminders).toMatchObject([
      {
        patientId: patient.id,
        progress: { given: 2, next: { what: 'dose', number: 3, state: 'overdue', daysLate: 1 } },
      },
    ]);
  });
});
