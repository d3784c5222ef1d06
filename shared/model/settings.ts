import { z } from 'zod';
import { Instant, nonEmpty, recordBase } from './common';
import { MeasureSchedule } from './measure';

/** A whole number within bounds, refused with a message naming the setting and the range. */
function whole(what: string, min: number, max: number, unit: string) {
  const range = `${what} must be a whole number from ${min} to ${max} ${unit}`;
  return z
    .number({ error: `${what} is needed (${min}–${max} ${unit})` })
    .int(range)
    .min(min, range)
    .max(max, range);
}

function decimal(what: string, min: number, max: number, unit: string) {
  const range = `${what} must be from ${min} to ${max} ${unit}`;
  return z
    .number({ error: `${what} is needed (${min}–${max} ${unit})` })
    .min(min, range)
    .max(max, range);
}

/** An IANA zone this runtime knows (Intl refuses unknown ones). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

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
  /**
   * Dose safety thresholds (PRODUCT.md; Spravato label §5.6 for esketamine BP). The bounds are
   * what an administrator may set on the Dosing rules panel: a typo such as a BP threshold of 400
   * is refused in the clinic's words rather than silently switching a safety check off.
   */
  inOfficeMaxSystolic: whole('The in-office systolic threshold', 100, 200, 'mmHg').default(140),
  inOfficeMaxDiastolic: whole('The in-office diastolic threshold', 60, 130, 'mmHg').default(90),
  atHomeMaxSystolic: whole('The at-home systolic threshold', 100, 200, 'mmHg').default(160),
  atHomeMaxDiastolic: whole('The at-home diastolic threshold', 60, 130, 'mmHg').default(90),
  atHomeMaxHeartRate: whole('The at-home heart rate threshold', 50, 150, 'beats/min').default(100),
  weightMaxAgeDays: whole('The weight age limit', 1, 365, 'days').default(30),
  vitalsIntervalMinutes: whole('The vitals interval', 5, 60, 'minutes').default(15),
  ivMinMgPerKg: decimal('The IV minimum', 0.1, 3, 'mg/kg').default(0.5),
  ivMaxMgPerKg: decimal('The IV maximum', 0.1, 3, 'mg/kg').default(1.0),
  eligibilityValidMonths: whole('Eligibility validity', 1, 36, 'months').default(12),
  /**
   * The clinic's IANA time zone for every day computation in the clinical rules (eligibility
   * validity, same-day doses, weight age, lot expiry); absent: the device's own zone.
   */
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, 'Choose a time zone from the list (for example America/Chicago)')
    .optional(),
  /** Asked on every eligibility evaluation after the built-in checklist. */
  clinicContraindications: z.array(ClinicContraindication).max(40).default([]),
  /** When outcome measures are due; absent means the defaults in shared/rules/measures. */
  measureSchedule: MeasureSchedule.optional(),
});
export type ClinicSettingsBody = z.infer<typeof ClinicSettingsBody>;

/** The clinic settings the dosing rules read (shared/rules/dosing/settings-catalog.ts). */
export const DOSING_SETTING_KEYS = [
  'vitalsIntervalMinutes',
  'inOfficeMaxSystolic',
  'inOfficeMaxDiastolic',
  'atHomeMaxSystolic',
  'atHomeMaxDiastolic',
  'atHomeMaxHeartRate',
  'ivMinMgPerKg',
  'ivMaxMgPerKg',
  'weightMaxAgeDays',
  'eligibilityValidMonths',
  'timeZone',
] as const;
export type DosingSettingKey = (typeof DOSING_SETTING_KEYS)[number];

type Shape = typeof ClinicSettingsBody.shape;
// Without the defaults: an emptied field on the panel is refused, not silently reset.
const dosingShape = Object.fromEntries(
  DOSING_SETTING_KEYS.map((k) => {
    const field = ClinicSettingsBody.shape[k];
    return [k, field instanceof z.ZodDefault ? field.unwrap() : field];
  }),
) as {
  [K in DosingSettingKey]: Shape[K] extends z.ZodDefault<infer T> ? T : Shape[K];
};

/**
 * The dosing thresholds as an administrator saves them, and as a signed dose keeps them (the
 * values that applied when it was signed). The IV range must be a range.
 */
export const DosingThresholds = z
  .object(dosingShape)
  .refine((s) => s.ivMinMgPerKg <= s.ivMaxMgPerKg, {
    path: ['ivMaxMgPerKg'],
    message: 'The IV maximum must be at least the IV minimum',
  });
export type DosingThresholds = z.infer<typeof DosingThresholds>;

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
