import { z } from 'zod';
import { CalendarDate, Instant, RecordId, recordBase } from './common';
import { Route } from './dose';

/**
 * How often dosing sessions are planned during the course. Typical courses (PRODUCT.md, issue 16):
 * IV ketamine 2–3 infusions a week for 2–3 weeks; esketamine twice a week in weeks 1–4, then
 * weekly (Spravato PI, Dosage and Administration).
 */
export const DOSE_FREQUENCIES = [
  'three-a-week',
  'twice-a-week',
  'weekly',
  'every-two-weeks',
] as const;
export const DoseFrequency = z.enum(DOSE_FREQUENCIES);
export type DoseFrequency = z.infer<typeof DoseFrequency>;

export const FREQUENCY_LABELS: Record<DoseFrequency, string> = {
  'three-a-week': 'Three times a week',
  'twice-a-week': 'Twice a week',
  weekly: 'Once a week',
  'every-two-weeks': 'Every two weeks',
};

export const TreatmentPlanBody = z.object({
  patientId: RecordId,
  /** Consent program key ("in-office-iv", "esketamine" …), as appointments and consents name it. */
  program: z.string().trim().min(1, 'Choose the program').max(60),
  route: Route,
  plannedDoses: z
    .number({ error: 'Enter the number of dosing sessions planned' })
    .int('The number of dosing sessions is a whole number')
    .min(1, 'Plan at least one dosing session')
    .max(52),
  frequency: DoseFrequency,
  /** An integration session is planned after each dosing session. */
  integrationAfterEach: z.boolean().default(true),
  /** Weeks between maintenance sessions once the course is done; absent: none planned yet. */
  maintenanceIntervalWeeks: z.number().int().min(1).max(52).optional(),
  goals: z.string().max(10_000).default(''),
  /** The preparation note the goals were taken from, when they were. */
  goalsFromNoteId: RecordId.optional(),
  /** First day of the course: signed doses from this day on count towards it. */
  startsOn: CalendarDate,
  writtenAt: Instant,
  /** The version this one replaces (a signed plan never changes: a revision is a new record). */
  revises: RecordId.optional(),
});
export type TreatmentPlanBody = z.infer<typeof TreatmentPlanBody>;

export const TreatmentPlan = z.object({
  kind: z.literal('treatment-plan'),
  ...recordBase,
  ...TreatmentPlanBody.shape,
});
export type TreatmentPlan = z.infer<typeof TreatmentPlan>;
