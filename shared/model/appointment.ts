import { z } from 'zod';
import { Instant, RecordId, recordBase } from './common';

export const VISIT_KINDS = [
  'consultation',
  'eligibility',
  'preparation',
  'dosing',
  'integration',
  'maintenance',
  'at-home-check-in',
] as const;
export const VisitKind = z.enum(VISIT_KINDS);
export type VisitKind = z.infer<typeof VisitKind>;

export const VISIT_LABELS: Record<VisitKind, string> = {
  consultation: 'Consultation',
  eligibility: 'Eligibility evaluation',
  preparation: 'Preparation session',
  dosing: 'Dosing session',
  integration: 'Integration session',
  maintenance: 'Maintenance session',
  'at-home-check-in': 'At-home session check-in',
};

export const AppointmentBody = z.object({
  patientId: RecordId,
  clinicianId: RecordId,
  start: Instant,
  durationMinutes: z
    .number()
    .int()
    .min(5)
    .max(12 * 60),
  visitKind: VisitKind,
  /** Consent program the visit belongs to (e.g. "in-office-iv"); packets are chosen by it. */
  program: z.string().max(60).optional(),
  cancelled: z.boolean().default(false),
});
export type AppointmentBody = z.infer<typeof AppointmentBody>;

export const Appointment = z.object({
  kind: z.literal('appointment'),
  ...recordBase,
  ...AppointmentBody.shape,
});
export type Appointment = z.infer<typeof Appointment>;
