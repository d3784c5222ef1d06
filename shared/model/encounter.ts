import { z } from 'zod';
import { Instant, RecordId, recordBase } from './common';
import { VisitKind } from './appointment';

/**
 * One visit. Notes, dose records, measures and summaries point at it. `start` is the date and time
 * of service (not when anyone wrote about it: a record's createdAt is that). Visits stored before
 * durations and appointments were recorded simply lack them (all optional; shared/rules/visits).
 */
export const EncounterBody = z.object({
  patientId: RecordId,
  visitKind: VisitKind,
  start: Instant,
  end: Instant.optional(),
  /** Length of the service when no end time is recorded (a booked 60-minute session). */
  durationMinutes: z
    .number()
    .int()
    .min(1)
    .max(12 * 60)
    .optional(),
  clinicianId: RecordId,
  appointmentId: RecordId.optional(),
  /** Where: in the office, at home (at-home programs chart over video), or by telehealth. */
  setting: z.enum(['in-office', 'at-home', 'telehealth']).default('in-office'),
});
export type EncounterBody = z.infer<typeof EncounterBody>;

export const Encounter = z.object({
  kind: z.literal('encounter'),
  ...recordBase,
  ...EncounterBody.shape,
});
export type Encounter = z.infer<typeof Encounter>;

export const SETTING_LABELS: Record<EncounterBody['setting'], string> = {
  'in-office': 'In office',
  'at-home': 'At home',
  telehealth: 'Telehealth',
};
