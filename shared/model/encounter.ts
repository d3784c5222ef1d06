import { z } from 'zod';
import { Instant, RecordId, recordBase } from './common';
import { VisitKind } from './appointment';

/** One visit. Notes, dose records, measures and summaries point at it. */
export const EncounterBody = z.object({
  patientId: RecordId,
  visitKind: VisitKind,
  start: Instant,
  end: Instant.optional(),
  clinicianId: RecordId,
  appointmentId: RecordId.optional(),
  /** In-office or at home (at-home programs chart over video). */
  setting: z.enum(['in-office', 'at-home', 'telehealth']).default('in-office'),
});
export type EncounterBody = z.infer<typeof EncounterBody>;

export const Encounter = z.object({
  kind: z.literal('encounter'),
  ...recordBase,
  ...EncounterBody.shape,
});
export type Encounter = z.infer<typeof Encounter>;
