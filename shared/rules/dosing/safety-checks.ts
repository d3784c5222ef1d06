/**
 * Dose safety checks, run before dosing and again at signing. Each rule cites its source. The
 * repository enforces them (assertDoseMaySign); the UI only shows them.
 */
import type { DoseBody, DoseRecord, SafetyOverride } from '../../model/dose';
import type { EligibilityEvaluation } from '../../model/eligibility';
import type { ClinicSettingsBody } from '../../model/settings';
import { eligibilityProblem, currentEligibility } from '../eligibility';
import { RuleError } from '../errors';
import { preDoseVitalsFindings, type ThresholdSettings } from './blood-pressure';
import { clinicDay } from './clinic-day';
import { dischargeMissing } from './discharge';
import { MIN_REASON_LENGTH, SEVERITIES, unresolvedFindings, type SafetyFinding } from './findings';
import { assertWeightCurrent, judgedMg, roundHalfAwayFromZero } from './mg-per-kg';
import { PRE_DOSE_WINDOW_MINUTES, baselineReading, doseGivenAt } from './vitals';

export type DosingSettings = ThresholdSettings &
  Pick<
    ClinicSettingsBody,
    'weightMaxAgeDays' | 'ivMinMgPerKg' | 'ivMaxMgPerKg' | 'eligibilityValidMonths'
  >;

/** The clinic's protocol mg/kg range for a route; only IV has settings so far. */
export function mgPerKgRange(
  route: DoseBody['route'],
  s: DosingSettings,
): { min: number; max: number } | undefined {
  return route === 'iv-infusion' ? { min: s.ivMinMgPerKg, max: s.ivMaxMgPerKg } : undefined;
}

/** Spravato PI, Dosage and Administration: 56 mg or 84 mg per session (28 mg devices). */
export const ESKETAMINE_DOSES_MG = [56, 84] as const;

export type DoseSafetyInput = {
  dose: Pick<
    DoseBody,
    | 'patientId'
    | 'medication'
    | 'route'
    | 'doseMg'
    | 'weightKg'
    | 'weightMeasuredOn'
    | 'lotId'
    | 'lotNumber'
    | 'lotExpiry'
    | 'setting'
    | 'vitals'
  > &
    Partial<
      Pick<
        DoseBody,
        | 'administeredAt'
        | 'infusionStart'
        | 'initialRateMgPerHour'
        | 'infusionEnd'
        | 'rateChanges'
        | 'boluses'
      >
    > & { id?: string };
  /** When the dose is (to be) given. */
  at: Date;
  /** The present, for what a running infusion has given so far; default `at`. */
  now?: Date;
  settings: DosingSettings;
  /** The patient's eligibility evaluations, any status; only signed ones count. */
  eligibility: readonly EligibilityEvaluation[];
  /** From the consent rules: is there a current consent for this program and route? */
  consentCurrent: boolean;
  /** Why not, in plain words (shown as the message). */
  consentReason?: string;
  /** The patient's other dose records; entries in error are ignored. */
  otherDoses: readonly Pick<
    DoseRecord,
    'id' | 'patientId' | 'status' | 'administeredAt' | 'infusionStart' | 'createdAt'
  >[];
  /** The clinic's IANA time zone for "same day" and "expired"; default: the device's. */
  timeZone?: string;
};

const SRC = {
  eligibility:
    'Clinic protocol: signed eligibility evaluation before dosing (eligibilityValidMonths)',
  consent: 'Informed consent before treatment (clinic policy; Spravato REMS patient enrollment)',
  baseline: 'Spravato PI: assess blood pressure before dosing; clinic protocol: baseline vitals',
  mgkg: 'Clinic IV protocol range (common practice 0.5–1.0 mg/kg over ~40 min)',
  weight: 'Clinic protocol: mg/kg from a recent weight (weightMaxAgeDays)',
  sameDay: 'Clinic protocol: one dosing session per day',
  lotExpired: 'Product labeling: do not use after the expiration date',
  lotMissing: '21 CFR 1304.22(c): each dose recorded against the stock it came from',
  eskHome: 'Spravato REMS: administered only in a certified healthcare setting',
  eskDose: 'Spravato PI, Dosage and Administration: 56 mg or 84 mg (28 mg devices)',
  eskRoute: 'Spravato PI: nasal spray',
  eskBp: 'Spravato PI, Dosage and Administration: assess blood pressure prior to dosing',
};

const stop = (rule: string, message: string, source: string): SafetyFinding => ({
  rule,
  severity: 'stop',
  message,
  source,
});

/** Every finding for this dose, hard stops first. An empty list means nothing to say. */
export function evaluateDoseSafety(input: DoseSafetyInput): SafetyFinding[] {
  const { dose, settings } = input;
  const day = clinicDay(input.at, input.timeZone);
  const out: SafetyFinding[] = [];

  const eligibility = currentEligibility(
    input.eligibility.filter((e) => e.patientId === dose.patientId),
    input.at,
    settings.eligibilityValidMonths,
    input.timeZone,
  );
  const notEligible = eligibilityProblem(eligibility);
  if (notEligible) out.push(stop('eligibility.not-current', notEligible, SRC.eligibility));

  if (!input.consentCurrent)
    out.push(
      stop(
        'consent.not-current',
        input.consentReason?.trim() ||
          'No current signed consent for this program and route — have the patient sign it first',
        SRC.consent,
      ),
    );

  const baseline = baselineReading(dose.vitals, input.at.toISOString());
  if (!baseline)
    out.push(
      stop(
        'vitals.baseline-missing',
        'Take and record baseline vitals before dosing',
        SRC.baseline,
      ),
    );
  else out.push(...preDoseVitalsFindings(baseline, dose.setting, settings));

  if (dose.medication === 'esketamine-nasal') {
    out.push(...esketamineFindings(dose));
    const minutesBefore = baseline && (input.at.getTime() - Date.parse(baseline.at)) / 60_000;
    if (minutesBefore !== undefined && minutesBefore > PRE_DOSE_WINDOW_MINUTES)
      out.push(
        stop(
          'esketamine.baseline-window',
          `The pre-dose blood pressure was taken ${Math.floor(minutesBefore)} minutes before the ` +
            `dose — take it again within the ${PRE_DOSE_WINDOW_MINUTES} minutes before dosing`,
          SRC.eskBp,
        ),
      );
  } else out.push(...mgPerKgFindings(dose, day, settings, input.now ?? input.at));

  out.push(...lotFindings(dose, day));

  const sameDay = input.otherDoses.filter(
    (d) =>
      d.id !== dose.id &&
      d.patientId === dose.patientId &&
      d.status !== 'entered-in-error' &&
      clinicDay(doseGivenAt(d) ?? d.createdAt, input.timeZone) === day,
  );
  if (sameDay.length)
    out.push({
      rule: 'dose.second-today',
      severity: 'warn',
      message: 'This patient already has a dose recorded today — check this is not a duplicate',
      source: SRC.sameDay,
    });

  return out.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
}

function esketamineFindings(dose: DoseSafetyInput['dose']): SafetyFinding[] {
  const out: SafetyFinding[] = [];
  if (dose.setting === 'at-home')
    out.push(
      stop(
        'esketamine.at-home',
        'Esketamine is given only in the clinic, never at home',
        SRC.eskHome,
      ),
    );
  if (dose.route !== 'intranasal')
    out.push(
      stop(
        'esketamine.route',
        'Esketamine is a nasal spray — choose the intranasal route',
        SRC.eskRoute,
      ),
    );
  // A hard stop, not a reason: the label gives 56 or 84 mg only, each a whole number of 28 mg
  // devices (60 or 112 mg cannot be given as labeled).
  if (!(ESKETAMINE_DOSES_MG as readonly number[]).includes(dose.doseMg))
    out.push(
      stop(
        'esketamine.dose',
        `Esketamine ${dose.doseMg} mg is not a labeled dose — give 56 mg or 84 mg (two or three ` +
          '28 mg devices)',
        SRC.eskDose,
      ),
    );
  return out;
}

function mgPerKgFindings(
  dose: DoseSafetyInput['dose'],
  day: string,
  settings: DosingSettings,
  now: Date,
): SafetyFinding[] {
  const range = mgPerKgRange(dose.route, settings);
  if (!range) return [];
  let exact: number;
  // Judged on the larger of planned and given: a faster rate or a bolus counts as it goes in.
  const mg = judgedMg({ ...dose, rateChanges: dose.rateChanges ?? [] }, now);
  try {
    assertWeightCurrent(dose, day, settings.weightMaxAgeDays);
    exact = mg / dose.weightKg;
  } catch (e) {
    if (e instanceof RuleError) return [stop('weight.not-current', e.message, SRC.weight)];
    throw e;
  }
  // Judged on the exact quotient: 1.004 mg/kg is above a 1.0 maximum even though it shows as 1.
  if (exact >= range.min && exact <= range.max) return [];
  const shown = mgPerKgShown(exact, range);
  const given = mg > dose.doseMg ? ` (${mg} mg given, ${dose.doseMg} mg planned)` : '';
  return [
    {
      rule: 'mgkg.out-of-range',
      severity: 'needs-reason',
      message:
        `${shown} mg/kg${given} is outside the clinic's range of ${range.min}–${range.max} ` +
        'mg/kg — give the reason for this dose',
      source: SRC.mgkg,
      // The reason answers this amount for this weight; more given, or a new weight, asks again.
      values: { mg, weightKg: dose.weightKg, mgPerKg: roundHalfAwayFromZero(exact) },
    },
  ];
}

/**
 * mg/kg to 2 decimals, or to as many more as it takes (up to 4) for the number on screen not to
 * sit on the limit it breaks: 1.004 shows as 1.004, not 1.
 */
export function mgPerKgShown(exact: number, range: { min: number; max: number }): number {
  for (const decimals of [2, 3, 4]) {
    const shown = roundHalfAwayFromZero(exact, decimals);
    if (shown < range.min || shown > range.max) return shown;
  }
  return roundHalfAwayFromZero(exact, 4);
}

function lotFindings(dose: DoseSafetyInput['dose'], day: string): SafetyFinding[] {
  // At home the patient takes dispensed medication; the clinic's stock is not involved.
  if (dose.setting === 'at-home') return [];
  if (!dose.lotId && !dose.lotNumber?.trim())
    return [stop('lot.missing', 'Choose the lot this dose is drawn from', SRC.lotMissing)];
  if (!dose.lotExpiry)
    return [stop('lot.expiry-missing', "Record the lot's expiry date", SRC.lotExpired)];
  // Usable through its expiry date; expired from the next day on.
  if (dose.lotExpiry < day) {
    const lot = dose.lotNumber ? `Lot ${dose.lotNumber}` : 'This lot';
    const message = `${lot} expired on ${dose.lotExpiry} — use an unexpired lot`;
    return [stop('lot.expired', message, SRC.lotExpired)];
  }
  return [];
}

/**
 * Throws RuleError unless the dose record may be signed: no stop findings, a reason for every
 * needs-reason finding, and (in the clinic) a complete discharge.
 */
export function assertDoseMaySign(
  dose: Pick<
    DoseBody,
    'medication' | 'discharge' | 'administeredAt' | 'infusionStart' | 'vitals' | 'setting'
  > &
    Partial<Pick<DoseBody, 'route' | 'initialRateMgPerHour' | 'infusionEnd'>>,
  findings: readonly SafetyFinding[],
  overrides: readonly Pick<SafetyOverride, 'rule' | 'reason' | 'values'>[],
): void {
  const problems = unresolvedFindings(findings, overrides).map((f) =>
    f.severity === 'stop' ? f.message : `${f.message} (no reason recorded)`,
  );
  problems.push(...infusionMissing(dose));
  if (dose.setting !== 'at-home') problems.push(...dischargeMissing(dose));
  if (problems.length)
    throw new RuleError(
      'dose.cannot-sign',
      `This dose record cannot be signed yet: ${problems.join('; ')}.`,
    );
}

/**
 * An infusion is signed with what went in known (start, starting rate, end): the log deducts that
 * amount, so the record and the log cannot tell two stories (21 CFR 1304.22(c)).
 */
export function infusionMissing(
  dose: Partial<Pick<DoseBody, 'route' | 'infusionStart' | 'initialRateMgPerHour' | 'infusionEnd'>>,
): string[] {
  if (dose.route !== 'iv-infusion') return [];
  const missing: string[] = [];
  if (!dose.infusionStart) missing.push('Record when the infusion started');
  if (dose.initialRateMgPerHour === undefined) missing.push('Record the starting rate in mg/h');
  if (!dose.infusionEnd) missing.push('Record when the infusion ended');
  return missing;
}

/** A recorded override for a needs-reason finding; hard stops and warnings have none. */
export function overrideFinding(
  finding: SafetyFinding,
  reason: string,
  by: string,
  at: Date,
): SafetyOverride {
  if (finding.severity !== 'needs-reason')
    throw new RuleError(
      'dose.no-override',
      finding.severity === 'stop'
        ? `This cannot be overridden: ${finding.message}`
        : 'A warning needs no override',
    );
  const trimmed = reason.trim();
  if (trimmed.length < MIN_REASON_LENGTH)
    throw new RuleError('dose.override-reason', 'Give the clinical reason for going ahead');
  return {
    rule: finding.rule,
    values: { ...finding.values },
    reason: trimmed,
    by,
    at: at.toISOString(),
  };
}
