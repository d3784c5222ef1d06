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
});
export type OutcomeMeasureBody = z.infer<typeof OutcomeMeasureBody>;

export const OutcomeMeasure = z.object({
  kind: z.literal('measure'),
  ...recordBase,
  ...OutcomeMeasureBody.shape,
});
export type OutcomeMeasure = z.infer<typeof OutcomeMeasure>;
