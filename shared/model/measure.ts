import { z } from 'zod';
import { Instant, RecordId, recordBase } from './common';

export const INSTRUMENTS = ['phq9', 'gad7', 'pcl5', 'cssrs-screener'] as const;
export const Instrument = z.enum(INSTRUMENTS);
export type Instrument = z.infer<typeof Instrument>;

/** Raw answers as given; scores are computed by shared/rules, never typed in. */
export const OutcomeMeasureBody = z.object({
  patientId: RecordId,
  encounterId: RecordId.optional(),
  instrument: Instrument,
  administeredAt: Instant,
  answers: z.array(z.number().int().min(0).max(4)),
  /**
   * 'patient': answered by the patient themself in patient mode (renderer/features/patient-mode);
   * stored as a draft until a clinician reviews and signs it. Absent: given by staff.
   */
  completedBy: z.enum(['staff', 'patient']).optional(),
});
export type OutcomeMeasureBody = z.infer<typeof OutcomeMeasureBody>;

export const OutcomeMeasure = z.object({
  kind: z.literal('measure'),
  ...recordBase,
  ...OutcomeMeasureBody.shape,
});
export type OutcomeMeasure = z.infer<typeof OutcomeMeasure>;

/**
 * When an instrument is due. 'before-each-dosing': a fresh score before every dosing session;
 * 'every-N-days': at the first visit N or more days after the last one; 'not-scheduled': never
 * reminded (still available on demand).
 */
export const MeasureScheduleRule = z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('before-each-dosing') }),
  z.object({ rule: z.literal('every-N-days'), days: z.number().int().min(1).max(365) }),
  z.object({ rule: z.literal('not-scheduled') }),
]);
export type MeasureScheduleRule = z.infer<typeof MeasureScheduleRule>;

/** Per instrument; an instrument left out follows the default schedule in shared/rules/measures. */
export const MeasureSchedule = z.partialRecord(Instrument, MeasureScheduleRule);
export type MeasureSchedule = z.infer<typeof MeasureSchedule>;
