import { z } from 'zod';
import { Instant, nonEmpty, recordBase } from './common';
import { MeasureSchedule } from './measure';

/** A contraindication the clinic adds to the eligibility checklist (issue 4). */
export const ClinicContraindication = z.object({
  key: z.string().regex(/^clinic-[a-z0-9-]{1,60}$/),
  label: nonEmpty('Contraindication').max(120),
});
export type ClinicContraindication = z.infer<typeof ClinicContraindication>;

/** Clinic-wide settings an administrator edits; one record per clinic. */
export const ClinicSettingsBody = z.object({
  clinicName: nonEmpty('Clinic name').max(200),
  address: z.string().max(400).default(''),
  phone: z.string().max(40).default(''),
  autoLockMinutes: z.number().int().min(1).max(120).default(10),
  unsignedNoteAlertDays: z.number().int().min(1).max(60).default(3),
  /** Dose safety thresholds (PRODUCT.md; Spravato label §5.6 for esketamine BP). */
  inOfficeMaxSystolic: z.number().int().default(140),
  inOfficeMaxDiastolic: z.number().int().default(90),
  atHomeMaxSystolic: z.number().int().default(160),
  atHomeMaxDiastolic: z.number().int().default(90),
  atHomeMaxHeartRate: z.number().int().default(100),
  weightMaxAgeDays: z.number().int().min(1).max(365).default(30),
  vitalsIntervalMinutes: z.number().int().min(5).max(60).default(15),
  ivMinMgPerKg: z.number().default(0.5),
  ivMaxMgPerKg: z.number().default(1.0),
  eligibilityValidMonths: z.number().int().min(1).max(36).default(12),
  /** Asked on every eligibility evaluation after the built-in checklist. */
  clinicContraindications: z.array(ClinicContraindication).max(40).default([]),
  /** When outcome measures are due; absent means the defaults in shared/rules/measures. */
  measureSchedule: MeasureSchedule.optional(),
});
export type ClinicSettingsBody = z.infer<typeof ClinicSettingsBody>;

export const ClinicSettings = z.object({
  kind: z.literal('clinic-settings'),
  ...recordBase,
  ...ClinicSettingsBody.shape,
});
export type ClinicSettings = z.infer<typeof ClinicSettings>;

export const NoteTemplateBody = z.object({
  templateKey: z.string().regex(/^[a-z0-9-]{2,60}$/),
  name: nonEmpty('Name').max(120),
  format: z.string().max(40),
  sections: z
    .array(
      z.object({
        key: z.string().regex(/^[a-z0-9-]+$/),
        label: z.string(),
        hint: z.string().default(''),
      }),
    )
    .min(1),
  liveCharting: z.boolean().default(false),
  quickTags: z.array(z.string().max(40)).default([]),
});
export type NoteTemplateBody = z.infer<typeof NoteTemplateBody>;

export const NoteTemplate = z.object({
  kind: z.literal('note-template'),
  ...recordBase,
  ...NoteTemplateBody.shape,
  /**
   * Set when the clinic stops offering the template for new notes. The record stays: notes
   * written from it still need its labels, and its key is never given to another template.
   */
  retiredAt: Instant.optional(),
});
export type NoteTemplate = z.infer<typeof NoteTemplate>;
