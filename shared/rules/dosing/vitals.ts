/**
 * When the next set of vitals is due, and the BP/HR series for the session chart.
 * Ketamine: baseline, then every vitalsIntervalMinutes (clinic setting) until discharge.
 * Esketamine: before dosing, ~40 min after (around peak concentration), and before discharge
 * (Spravato PI, Dosage and Administration; the REMS Patient Monitoring Form asks for these three).
 */
import type { DoseBody, VitalSigns } from '../../model/dose';

type VitalsLabel = VitalSigns['label'];

/** When the dose went in: the esketamine/IM/troche administration time, or the infusion start. */
export function doseGivenAt(dose: Pick<DoseBody, 'administeredAt' | 'infusionStart'>) {
  return dose.administeredAt ?? dose.infusionStart;
}

const ms = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

/** Readings at or before the dose (all of them while the dose has not been given yet). */
export function preDoseReadings(
  vitals: readonly VitalSigns[],
  givenAt: string | undefined,
): VitalSigns[] {
  return givenAt === undefined ? [...vitals] : vitals.filter((v) => ms(v.at) <= ms(givenAt));
}

/** The reading that counts as baseline: the latest one taken at or before the dose. */
export function baselineReading(
  vitals: readonly VitalSigns[],
  givenAt: string | undefined,
): VitalSigns | undefined {
  return preDoseReadings(vitals, givenAt).sort((a, b) => ms(b.at) - ms(a.at))[0];
}

/**
 * Spravato PI (Dosage and Administration; Warnings, increase in blood pressure) and the REMS
 * Patient Monitoring Form: blood pressure before the dose, at about 40 minutes after it, and
 * before discharge. Each reading counts only inside its window, whatever its label says:
 * - before: the latest reading in the hour before the dose;
 * - ~40 minutes: taken 30 to 60 minutes after the dose;
 * - before discharge: taken in the 30 minutes up to the discharge time.
 */
export const POST_DOSE_CHECK_MINUTES = 40;
export const POST_DOSE_WINDOW_MINUTES = [30, 60] as const;
export const PRE_DOSE_WINDOW_MINUTES = 60;
export const PRE_DISCHARGE_WINDOW_MINUTES = 30;
/** Spravato PI/REMS: observe at least 2 hours after administration. */
export const ESKETAMINE_OBSERVATION_MINUTES = 120;

/** The reading that counts as the ~40-minute check, if one was taken in its window. */
export function postDoseReading(
  vitals: readonly VitalSigns[],
  givenAt: string,
): VitalSigns | undefined {
  const [from, to] = POST_DOSE_WINDOW_MINUTES;
  return vitals.find((v) => {
    const after = (ms(v.at) - ms(givenAt)) / MINUTE;
    return after >= from && after <= to;
  });
}

/**
 * A blood pressure before discharge: in the 30 minutes up to the discharge time; while no
 * discharge time is recorded, one labelled so in the window before the earliest discharge.
 */
export function hasPreDischargeReading(
  vitals: readonly VitalSigns[],
  givenAt: string,
  dischargeAt?: string,
): boolean {
  if (dischargeAt) {
    const end = ms(dischargeAt);
    return vitals.some(
      (v) =>
        ms(v.at) > ms(givenAt) &&
        ms(v.at) <= end &&
        ms(v.at) >= end - PRE_DISCHARGE_WINDOW_MINUTES * MINUTE,
    );
  }
  const earliest =
    ms(givenAt) + (ESKETAMINE_OBSERVATION_MINUTES - PRE_DISCHARGE_WINDOW_MINUTES) * MINUTE;
  return vitals.some((v) => v.label === 'pre-discharge' && ms(v.at) >= earliest);
}

export type VitalsDue = {
  dueAt: string;
  /** The label the reading should carry when it is taken. */
  label: VitalsLabel;
  /** For the reminder: what is due, in plain words. */
  text: string;
  overdue: boolean;
};

type VitalsScheduleInput = Pick<
  DoseBody,
  'medication' | 'vitals' | 'administeredAt' | 'infusionStart' | 'discharge'
>;

/**
 * The next reading due, or undefined when none is (baseline taken but dose not yet given;
 * discharged with everything taken). Overdue means `now` is past dueAt.
 */
export function nextVitalsDue(
  dose: VitalsScheduleInput,
  now: Date,
  intervalMinutes: number,
): VitalsDue | undefined {
  const givenAt = doseGivenAt(dose);
  const due = (at: number, label: VitalsLabel, text: string): VitalsDue => ({
    dueAt: new Date(at).toISOString(),
    label,
    text,
    overdue: now.getTime() > at,
  });
  if (!baselineReading(dose.vitals, givenAt))
    return due(givenAt ? ms(givenAt) : now.getTime(), 'baseline', 'Baseline vitals before dosing');
  if (givenAt === undefined) return undefined;
  const given = ms(givenAt);

  if (dose.medication === 'esketamine-nasal') {
    const postDoseTaken = postDoseReading(dose.vitals, givenAt) !== undefined;
    // Past its window the ~40-minute reading can no longer be taken; move on to discharge.
    const windowOver = now.getTime() > given + POST_DOSE_WINDOW_MINUTES[1] * MINUTE;
    if (!postDoseTaken && !windowOver)
      return due(
        given + POST_DOSE_CHECK_MINUTES * MINUTE,
        'post-dose-40',
        'Blood pressure about 40 minutes after the dose',
      );
    if (!hasPreDischargeReading(dose.vitals, givenAt, dose.discharge?.at))
      return due(
        given + ESKETAMINE_OBSERVATION_MINUTES * MINUTE,
        'pre-discharge',
        'Blood pressure before discharge',
      );
    return undefined;
  }

  if (dose.discharge) return undefined;
  const last = Math.max(...dose.vitals.map((v) => ms(v.at)));
  return due(last + intervalMinutes * MINUTE, 'interval', `Vitals (every ${intervalMinutes} min)`);
}

export type VitalsPoint = {
  at: string;
  /** Minutes from the dose (negative before it), or from the first reading if not yet dosed. */
  minute: number;
  systolic: number;
  diastolic: number;
  heartRate: number;
  spo2?: number;
  label: VitalsLabel;
};

/** The session's readings in time order, for the BP/HR chart. */
export function vitalsSeries(
  dose: Pick<DoseBody, 'vitals' | 'administeredAt' | 'infusionStart'>,
): VitalsPoint[] {
  const sorted = [...dose.vitals].sort((a, b) => ms(a.at) - ms(b.at));
  const givenAt = doseGivenAt(dose);
  const zero = givenAt ? ms(givenAt) : sorted[0] ? ms(sorted[0].at) : 0;
  return sorted.map((v) => ({
    at: v.at,
    minute: Math.round((ms(v.at) - zero) / MINUTE),
    systolic: v.systolic,
    diastolic: v.diastolic,
    heartRate: v.heartRate,
    ...(v.spo2 === undefined ? {} : { spo2: v.spo2 }),
    label: v.label,
  }));
}
