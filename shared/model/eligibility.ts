import { z } from 'zod';
import { Instant, RecordId, recordBase } from './common';

export const INDICATIONS = ['trd', 'ptsd', 'gad', 'ocd', 'chronic-pain', 'other'] as const;

export const EligibilityBody = z.object({
  patientId: RecordId,
  encounterId: RecordId.optional(),
  indication: z.enum(INDICATIONS),
  indicationOther: z.string().max(200).optional(),
  psychiatricHistory: z.string().max(20_000).default(''),
  medicalHistory: z.string().max(20_000).default(''),
  currentMedications: z
    .array(
      z.object({
        name: z.string().max(120),
        dose: z.string().max(120).optional(),
        flag: z.enum(['benzodiazepine', 'sedative', 'stimulant', 'maoi', 'opioid']).optional(),
      }),
    )
    .default([]),
  contraindications: z.record(z.string(), z.boolean()).default({}),
  /**
   * The wording of the clinic's own items as they were asked, so a signed evaluation still reads
   * right after the clinic renames or removes one (built-in items are worded in shared/rules).
   */
  contraindicationLabels: z.record(z.string(), z.string().max(120)).optional(),
  decision: z.enum(['eligible', 'not-eligible', 'eligible-with-conditions']).optional(),
  conditions: z.string().max(2000).optional(),
  evaluatedAt: Instant,
});
export type EligibilityBody = z.infer<typeof EligibilityBody>;

export const EligibilityEvaluation = z.object({
  kind: z.literal('eligibility'),
  ...recordBase,
  ...EligibilityBody.shape,
});
export type EligibilityEvaluation = z.infer<typeof EligibilityEvaluation>;

export const HomePrescriptionBody = z.object({
  patientId: RecordId,
  // Spravato REMS: esketamine is given only in a certified healthcare setting, never at home.
  medication: z.literal('ketamine-hcl', {
    error:
      'Esketamine is in-office only (Spravato REMS) — at-home programs use ketamine troches or tablets',
  }),
  form: z.enum(['sublingual-troche', 'oral-tablet']),
  strengthMg: z.number().positive(),
  quantity: z.number().int().positive(),
  sessionsAllowed: z.number().int().positive(),
  instructions: z.string().max(4000),
  monitorName: z.string().trim().min(1, 'Name the treatment monitor'),
  monitorPhone: z.string().max(40).optional(),
  refillsAllowed: z.number().int().min(0).default(0),
  /** A refill is its own prescription record pointing at the original (signed records never change). */
  refillOf: RecordId.optional(),
  writtenAt: Instant,
});
export type HomePrescriptionBody = z.infer<typeof HomePrescriptionBody>;

export const HomePrescription = z.object({
  kind: z.literal('home-prescription'),
  ...recordBase,
  ...HomePrescriptionBody.shape,
});
export type HomePrescription = z.infer<typeof HomePrescription>;
