import { z } from 'zod';
import { Instant, RecordId, recordBase } from './common';

export const IntegrationSummaryBody = z.object({
  patientId: RecordId,
  encounterId: RecordId.optional(),
  dosingEncounterId: RecordId.optional(),
  insights: z.string().max(20_000).default(''),
  themes: z.array(z.string().max(120)).default([]),
  emotions: z.string().max(10_000).default(''),
  bodySensations: z.string().max(10_000).default(''),
  goals: z.string().max(10_000).default(''),
  practices: z
    .array(z.enum(['breathwork', 'meditation', 'journaling', 'movement', 'nature', 'other']))
    .default([]),
  nextSteps: z.string().max(10_000).default(''),
  nextAppointment: Instant.optional(),
  /** Clinician-only; never printed on the patient handout. */
  clinicianNotes: z.string().max(20_000).default(''),
});
export type IntegrationSummaryBody = z.infer<typeof IntegrationSummaryBody>;

export const IntegrationSummary = z.object({
  kind: z.literal('integration-summary'),
  ...recordBase,
  ...IntegrationSummaryBody.shape,
});
export type IntegrationSummary = z.infer<typeof IntegrationSummary>;
