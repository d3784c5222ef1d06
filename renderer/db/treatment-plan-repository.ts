/**
 * Treatment plans (issue 16 point 5): a plan per patient, signed with the clinician's passphrase
 * like any clinical record (encrypted, synced, audited through the RecordStore). A signed plan
 * never changes: a revision is a new signed record that names the version it replaces, and the
 * old one stays readable. Progress ("dose 2 of 6", next due, maintenance) is computed from the
 * signed doses in shared/rules/treatment-plan.ts.
 */
import {
  TreatmentPlanBody,
  type DoseRecord,
  type Encounter,
  type SessionNote,
  type TreatmentPlan,
} from '../../shared/model';
import { clinicDay } from '../../shared/rules/dosing/clinic-day';
import { RuleError } from '../../shared/rules/errors';
import { assertCan } from '../../shared/rules/permissions';
import {
  courseProgress,
  currentPlan,
  preparationGoals,
  type CourseProgress,
} from '../../shared/rules/treatment-plan';
import { clinicSettings } from './eligibility-repository';
import { ValidationError, type RecordStore } from './record-store';

export type TreatmentPlanInput = Omit<TreatmentPlanBody, 'writtenAt' | 'revises'>;

/**
 * Write and sign a plan (the caller re-checked the passphrase). `basedOn`: the version the form
 * was opened from; when another version was signed since (on this or another computer), the plan
 * is refused so that nobody replaces a revision they have not read.
 */
export async function signTreatmentPlan(
  store: RecordStore,
  input: TreatmentPlanInput,
  basedOn: string | undefined,
  now = new Date(),
): Promise<TreatmentPlan> {
  assertCan(store.roles, 'sign', 'treatment-plan');
  if (!(await store.get('patient', input.patientId)))
    throw new RuleError('plan.no-patient', 'That patient could not be found.');
  const current = currentPlan(await store.listByPatient('treatment-plan', input.patientId));
  if ((current?.id ?? undefined) !== basedOn)
    throw new RuleError(
      'plan.revised-meanwhile',
      current
        ? `${current.signature?.byName ?? 'Someone'} signed another version of this plan a moment ago. ` +
            'Your text is kept: open the plan again, read their version, then revise it.'
        : 'The plan you revised is no longer in force. Your text is kept: open the plan again.',
    );
  const parsed = TreatmentPlanBody.safeParse({
    ...input,
    writtenAt: now.toISOString(),
    ...(current ? { revises: current.id } : {}),
  });
  if (!parsed.success) throw new ValidationError(parsed.error.issues);
  return store.createSigned('treatment-plan', parsed.data);
}

export type PatientPlan = {
  plan: TreatmentPlan;
  /** Every version, newest first (the one in force among them). */
  versions: TreatmentPlan[];
  /** Undefined for a role that does not read doses. */
  progress?: CourseProgress;
};

/** The plan in force with the course's progress on the clinic day of `now`; null when none. */
export async function patientTreatmentPlan(
  store: RecordStore,
  patientId: string,
  now = new Date(),
): Promise<PatientPlan | null> {
  const versions = (await store.listByPatient('treatment-plan', patientId)).sort((a, b) =>
    b.writtenAt.localeCompare(a.writtenAt),
  );
  const plan = currentPlan(versions);
  if (!plan) return null;
  if (!store.canRead('dose')) return { plan, versions };
  const [doses, visits, settings] = await Promise.all([
    store.listByPatient('dose', patientId),
    store.listByPatient('encounter', patientId),
    clinicSettings(store),
  ]);
  return { plan, versions, progress: progressOf(plan, doses, visits, settings.timeZone, now) };
}

function progressOf(
  plan: TreatmentPlan,
  doses: DoseRecord[],
  visits: Encounter[],
  timeZone: string | undefined,
  now: Date,
) {
  return courseProgress({ plan, doses, visits, today: clinicDay(now, timeZone), timeZone });
}

/** The intentions of the patient's newest preparation note, to start the plan's goals from. */
export async function goalsFromPreparation(store: RecordStore, patientId: string) {
  if (!store.canRead('note')) return undefined;
  const [notes, visits] = await Promise.all([
    store.listByPatient('note', patientId),
    store.listByPatient('encounter', patientId),
  ]);
  const prep = new Set(visits.filter((v) => v.visitKind === 'preparation').map((v) => v.id));
  return preparationGoals(notes as SessionNote[], prep);
}

export type PlanReminder = {
  patientId: string;
  plan: TreatmentPlan;
  progress: CourseProgress & { next: NonNullable<CourseProgress['next']> };
};

/**
 * Of these patients, those whose next course dose or maintenance session is due today or overdue
 * (My work today's reminders), most overdue first.
 */
export async function plansDue(
  store: RecordStore,
  patientIds: Iterable<string>,
  now = new Date(),
): Promise<PlanReminder[]> {
  if (!store.canRead('treatment-plan') || !store.canRead('dose')) return [];
  const { timeZone } = await clinicSettings(store);
  const found = await Promise.all(
    [...patientIds].map(async (patientId): Promise<PlanReminder | undefined> => {
      const plan = currentPlan(await store.listByPatient('treatment-plan', patientId));
      if (!plan) return undefined;
      const [doses, visits] = await Promise.all([
        store.listByPatient('dose', patientId),
        store.listByPatient('encounter', patientId),
      ]);
      const progress = progressOf(plan, doses, visits, timeZone, now);
      const next = progress.next;
      if (!next || next.state === 'upcoming') return undefined;
      return { patientId, plan, progress: { ...progress, next } };
    }),
  );
  return found
    .filter((r): r is PlanReminder => !!r)
    .sort((a, b) => b.progress.next.daysLate - a.progress.next.daysLate);
}
