/**
 * Dose arithmetic: mg/kg, volume, infusion rate, total given across rate changes.
 * Typical IV protocol: 0.5–1.0 mg/kg over ~40 min (PRODUCT.md; the clinic's range is a setting).
 */
import type { DoseBody } from '../../model/dose';
import { RuleError } from '../errors';
import { daysBetween, type CalendarDate } from './clinic-day';

/**
 * Rounds half away from zero (0.125 → 0.13, −0.125 → −0.13), the rule clinicians learn on paper,
 * not JavaScript's Math.round (half toward +∞) nor banker's rounding. The scaled value is first
 * cut to 15 significant digits so binary noise does not decide a tie (1.005 → 1.01, not 1.00).
 */
export function roundHalfAwayFromZero(value: number, decimals = 2): number {
  const scale = 10 ** decimals;
  const scaled = Number((Math.abs(value) * scale).toPrecision(15));
  const rounded = Math.round(scaled) / scale;
  return value < 0 ? -rounded : rounded;
}

export type WeightInput = Pick<DoseBody, 'doseMg' | 'weightKg' | 'weightMeasuredOn'>;

/**
 * Refuses a missing, future-dated or stale weight: mg/kg from an old weight is a guess
 * (clinic protocol, setting weightMaxAgeDays). A weight exactly weightMaxAgeDays old is current.
 */
export function assertWeightCurrent(
  input: Pick<DoseBody, 'weightKg' | 'weightMeasuredOn'>,
  onDay: CalendarDate,
  weightMaxAgeDays: number,
): asserts input is { weightKg: number; weightMeasuredOn: CalendarDate } {
  if (input.weightKg === undefined || input.weightMeasuredOn === undefined)
    throw new RuleError(
      'dosing.weight-missing',
      'Record the weight in kg and the date it was measured before calculating mg/kg',
    );
  const age = daysBetween(input.weightMeasuredOn, onDay);
  if (age < 0)
    throw new RuleError(
      'dosing.weight-future',
      `The weight is dated ${input.weightMeasuredOn}, after the dose day ${onDay} — check the date`,
    );
  if (age > weightMaxAgeDays)
    throw new RuleError(
      'dosing.weight-stale',
      `Weight is older than ${weightMaxAgeDays} days — re-weigh before calculating mg/kg`,
    );
}

/** mg/kg to 2 decimals from a current weight; throws RuleError when the weight will not do. */
export function mgPerKg(
  input: WeightInput,
  opts: { onDay: CalendarDate; weightMaxAgeDays: number },
): number {
  assertWeightCurrent(input, opts.onDay, opts.weightMaxAgeDays);
  return roundHalfAwayFromZero(input.doseMg / input.weightKg);
}

/** Volume to draw up, in ml to 2 decimals. */
export function volumeMl(doseMg: number, concentrationMgPerMl: number): number {
  if (!(concentrationMgPerMl > 0))
    throw new RuleError(
      'dosing.concentration',
      'Enter the concentration in mg/ml from the vial label to calculate the volume',
    );
  return roundHalfAwayFromZero(doseMg / concentrationMgPerMl);
}

/** The rate that gives doseMg over `minutes` (e.g. 50 mg over 40 min = 75 mg/h). */
export function infusionRateMgPerHour(doseMg: number, minutes: number): number {
  if (!(minutes > 0))
    throw new RuleError('dosing.duration', 'Enter how many minutes the infusion should run');
  return roundHalfAwayFromZero((doseMg * 60) / minutes);
}

export type InfusionInput = Pick<
  DoseBody,
  'infusionStart' | 'infusionEnd' | 'initialRateMgPerHour' | 'rateChanges'
> & { boluses?: DoseBody['boluses'] };

/**
 * mg given from infusionStart to infusionEnd (or `until`, for a running infusion), each rate
 * holding until the next change, plus the boluses given by then. Rounded to 2 decimals only at
 * the end.
 */
export function totalGivenMg(infusion: InfusionInput, until?: Date): number {
  if (!infusion.infusionStart || infusion.initialRateMgPerHour === undefined)
    throw new RuleError(
      'dosing.infusion-incomplete',
      'Record the infusion start time and starting rate to total the dose given',
    );
  const start = Date.parse(infusion.infusionStart);
  const endAt = infusion.infusionEnd ? Date.parse(infusion.infusionEnd) : until?.getTime();
  if (endAt === undefined)
    throw new RuleError('dosing.infusion-running', 'Record when the infusion ended');
  if (endAt < start)
    throw new RuleError(
      'dosing.infusion-order',
      'The infusion ends before it starts — check the start and end times',
    );
  const changes = [...infusion.rateChanges].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const c of changes) {
    const t = Date.parse(c.at);
    if (t < start || (infusion.infusionEnd && t > endAt))
      throw new RuleError(
        'dosing.rate-change-outside',
        `A rate change at ${c.at} falls outside the infusion — check its time`,
      );
  }
  let mg = 0;
  let from = start;
  let rate = infusion.initialRateMgPerHour;
  for (const c of changes) {
    const t = Math.min(Date.parse(c.at), endAt);
    mg += (rate * (t - from)) / 3_600_000;
    from = t;
    rate = c.mgPerHour;
  }
  mg += (rate * Math.max(0, endAt - from)) / 3_600_000;
  for (const b of infusion.boluses ?? []) {
    const t = Date.parse(b.at);
    if (t < start || (infusion.infusionEnd && t > endAt))
      throw new RuleError(
        'dosing.bolus-outside',
        `A bolus at ${b.at} falls outside the infusion — check its time`,
      );
    if (t <= endAt) mg += b.mg;
  }
  return roundHalfAwayFromZero(mg);
}

type GivenInput = Pick<DoseBody, 'route' | 'doseMg' | 'administeredAt'> & InfusionInput;

/**
 * What has gone in by `now`: a running or finished infusion by rate × time plus boluses; any
 * other route the dose once it is recorded as given. 0 before anything was given.
 */
export function givenSoFarMg(dose: GivenInput, now: Date): number {
  if (dose.route !== 'iv-infusion') return dose.administeredAt ? dose.doseMg : 0;
  if (!dose.infusionStart || dose.initialRateMgPerHour === undefined) return 0;
  const start = Date.parse(dose.infusionStart);
  const until = new Date(Math.max(start, now.getTime()));
  try {
    return totalGivenMg({ ...dose, rateChanges: dose.rateChanges ?? [] }, until);
  } catch (e) {
    // Times that do not add up are reported where they are entered; count what is certain.
    if (e instanceof RuleError) return 0;
    throw e;
  }
}

/**
 * The amount the safety checks judge: the larger of the planned dose and what has gone in by
 * `now` (issue 15: 50 mg planned at 300 mg/h for 40 min is 200 mg given, judged as 200 mg).
 */
export function judgedMg(dose: GivenInput, now: Date): number {
  return Math.max(dose.doseMg, givenSoFarMg(dose, now));
}
