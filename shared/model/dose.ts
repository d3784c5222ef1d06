import { z } from 'zod';
import { CalendarDate, Instant, RecordId, recordBase } from './common';

export const MEDICATIONS = ['ketamine-hcl', 'esketamine-nasal'] as const;
export const Medication = z.enum(MEDICATIONS);
export type Medication = z.infer<typeof Medication>;

export const ROUTES = [
  'iv-infusion',
  'im',
  'intranasal',
  'sublingual-troche',
  'oral-tablet',
] as const;
export const Route = z.enum(ROUTES);
export type Route = z.infer<typeof Route>;

export const VitalSigns = z.object({
  at: Instant,
  systolic: z.number().int().min(50).max(300),
  diastolic: z.number().int().min(20).max(200),
  heartRate: z.number().int().min(20).max(250),
  spo2: z.number().int().min(50).max(100).optional(),
  respiratoryRate: z.number().int().min(4).max(60).optional(),
  label: z.enum(['baseline', 'interval', 'post-dose-40', 'pre-discharge']).default('interval'),
});
export type VitalSigns = z.infer<typeof VitalSigns>;

/** MOAA/S 0–5 (Chernik et al., 1990); CADSS total 0–92 (Bremner et al., 1998) or a short form. */
export const Observation = z.object({
  at: Instant,
  moaas: z.number().int().min(0).max(5).optional(),
  cadss: z.number().int().min(0).max(92).optional(),
  note: z.string().max(2000).optional(),
});
export type Observation = z.infer<typeof Observation>;

export const ADVERSE_EVENT_KINDS = [
  'nausea',
  'vomiting',
  'dizziness',
  'raised-bp',
  'anxiety',
  'headache',
  'other',
] as const;
export const AdverseEvent = z.object({
  at: Instant,
  kind: z.enum(ADVERSE_EVENT_KINDS),
  description: z.string().max(2000).optional(),
  severity: z.enum(['mild', 'moderate', 'severe']),
  serious: z.boolean().default(false),
  intervention: z.string().max(2000).optional(),
});
export type AdverseEvent = z.infer<typeof AdverseEvent>;

/** A change of infusion rate from `at` on; 0 mg/h records a pause (e.g. for a BP rise). */
export const RateChange = z.object({
  at: Instant,
  mgPerHour: z.number().min(0),
  reason: z.string().trim().min(1, 'Say why the rate changed').max(500),
});
export type RateChange = z.infer<typeof RateChange>;

/** An extra amount pushed during an infusion (a bolus); it counts in what was given. */
export const Bolus = z.object({
  at: Instant,
  mg: z.number().positive().max(1000),
  reason: z.string().trim().min(1, 'Say why the bolus was given').max(500),
});
export type Bolus = z.infer<typeof Bolus>;

export const Discharge = z.object({
  at: Instant,
  vitalsNearBaseline: z.boolean(),
  sedationResolved: z.boolean(),
  dissociationResolved: z.boolean(),
  alertAndOriented: z.boolean(),
  escortName: z.string().max(120).optional(),
  transport: z.string().max(200).optional(),
  noDrivingInstructionGiven: z.boolean().default(false),
});
export type Discharge = z.infer<typeof Discharge>;

/**
 * A recorded override of a safety check: which rule, why, by whom, and the values it justified
 * (dose, mg/kg, weight, the BP reading). It answers the finding only while those values stand
 * (shared/rules/dosing/findings.ts overrideFor). Every one is audited.
 */
export const SafetyOverride = z.object({
  rule: z.string(),
  /** Absent on overrides recorded before values were kept: those answer nothing any more. */
  values: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
  reason: z.string().trim().min(5, 'Give the clinical reason for going ahead'),
  by: RecordId,
  at: Instant,
});
export type SafetyOverride = z.infer<typeof SafetyOverride>;

/**
 * The clinic's dosing thresholds that applied when the dose was signed (issue 15): a later change
 * of the clinic's settings does not change how a signed dose reads. Kept loosely typed (plain
 * numbers): a record signed under older bounds still reads.
 */
export const AppliedDosingSettings = z.object({
  vitalsIntervalMinutes: z.number(),
  inOfficeMaxSystolic: z.number(),
  inOfficeMaxDiastolic: z.number(),
  atHomeMaxSystolic: z.number(),
  atHomeMaxDiastolic: z.number(),
  atHomeMaxHeartRate: z.number(),
  ivMinMgPerKg: z.number(),
  ivMaxMgPerKg: z.number(),
  weightMaxAgeDays: z.number(),
  eligibilityValidMonths: z.number(),
  timeZone: z.string().max(64).optional(),
});
export type AppliedDosingSettings = z.infer<typeof AppliedDosingSettings>;

/**
 * The lot's book balance when the dose was signed, before and after this dose was taken from it,
 * in the lot's unit (mg, ml or devices). Set in the signing write with the log entry, so a signed
 * record shows what was on hand then, not today's balance (issue 15, finding 7).
 */
export const LotBalanceAtSigning = z.object({
  before: z.number(),
  after: z.number(),
  unit: z.enum(['mg', 'ml', 'device']),
});
export type LotBalanceAtSigning = z.infer<typeof LotBalanceAtSigning>;

export const DoseBody = z.object({
  patientId: RecordId,
  encounterId: RecordId,
  medication: Medication,
  route: Route,
  doseMg: z.number().positive().max(1000),
  weightKg: z.number().min(20).max(400).optional(),
  weightMeasuredOn: CalendarDate.optional(),
  concentrationMgPerMl: z.number().positive().optional(),
  volumeMl: z.number().positive().optional(),
  /** When the dose was given (esketamine: the last device); infusions use infusionStart. */
  administeredAt: Instant.optional(),
  infusionStart: Instant.optional(),
  /** The rate the infusion started at; later changes are in rateChanges. */
  initialRateMgPerHour: z.number().min(0).optional(),
  infusionEnd: Instant.optional(),
  rateChanges: z.array(RateChange).default([]),
  boluses: z.array(Bolus).default([]),
  /**
   * Infusions: what actually went in (rate × time, plus boluses), computed by the repository from
   * the fields above and again at signing; the controlled-substance log deducts exactly this.
   */
  totalGivenMg: z.number().min(0).max(1000).optional(),
  lotId: RecordId.optional(),
  lotNumber: z.string().max(60).optional(),
  lotExpiry: CalendarDate.optional(),
  prescriberId: RecordId,
  administeredBy: RecordId,
  setting: z.enum(['in-office', 'at-home']).default('in-office'),
  /** At-home sessions: the prescription they count against, and whether the monitor was there. */
  homePrescriptionId: RecordId.optional(),
  monitorPresent: z.boolean().optional(),
  vitals: z.array(VitalSigns).default([]),
  observations: z.array(Observation).default([]),
  adverseEvents: z.array(AdverseEvent).default([]),
  discharge: Discharge.optional(),
  overrides: z.array(SafetyOverride).default([]),
  /** Set at signing: the thresholds the signed record was judged by. */
  appliedSettings: AppliedDosingSettings.optional(),
  /** Set at signing for a dose from clinic stock; absent on doses signed before it was kept. */
  lotAtSigning: LotBalanceAtSigning.optional(),
});
export type DoseBody = z.infer<typeof DoseBody>;

export const DoseRecord = z.object({ kind: z.literal('dose'), ...recordBase, ...DoseBody.shape });
export type DoseRecord = z.infer<typeof DoseRecord>;
