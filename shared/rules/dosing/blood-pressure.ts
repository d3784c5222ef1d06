/**
 * Pre-dose blood pressure and heart rate against the clinic's thresholds. Above threshold is not a
 * hard stop: the prescriber may go ahead with a stated reason. Thresholds are "above", so a
 * reading exactly at 140/90 passes (Spravato PI, Warnings: increase in blood pressure — consider
 * the risks when baseline BP is above 140/90). At-home programs commonly use 160/90 and HR 100
 * (PRODUCT.md); all four numbers are clinic settings.
 */
import type { DoseBody, VitalSigns } from '../../model/dose';
import type { ClinicSettingsBody } from '../../model/settings';
import type { SafetyFinding } from './findings';

export type VitalsThresholds = { maxSystolic: number; maxDiastolic: number; maxHeartRate?: number };

export type ThresholdSettings = Pick<
  ClinicSettingsBody,
  | 'inOfficeMaxSystolic'
  | 'inOfficeMaxDiastolic'
  | 'atHomeMaxSystolic'
  | 'atHomeMaxDiastolic'
  | 'atHomeMaxHeartRate'
>;

export function thresholdsFor(
  setting: DoseBody['setting'],
  s: ThresholdSettings,
): VitalsThresholds {
  return setting === 'at-home'
    ? {
        maxSystolic: s.atHomeMaxSystolic,
        maxDiastolic: s.atHomeMaxDiastolic,
        maxHeartRate: s.atHomeMaxHeartRate,
      }
    : { maxSystolic: s.inOfficeMaxSystolic, maxDiastolic: s.inOfficeMaxDiastolic };
}

const BP_SOURCE_OFFICE =
  'Spravato PI, Warnings (increase in blood pressure); clinic in-office threshold';
const BP_SOURCE_HOME = 'At-home program protocol (PRODUCT.md); clinic at-home thresholds';

/** Findings for one pre-dose reading; empty when it is within the thresholds. */
export function preDoseVitalsFindings(
  reading: Pick<VitalSigns, 'systolic' | 'diastolic' | 'heartRate'> & { at?: string },
  setting: DoseBody['setting'],
  settings: ThresholdSettings,
): SafetyFinding[] {
  const t = thresholdsFor(setting, settings);
  const source = setting === 'at-home' ? BP_SOURCE_HOME : BP_SOURCE_OFFICE;
  const out: SafetyFinding[] = [];
  // An override answers this reading only: a new baseline (or an edited one) asks again.
  const when: Record<string, string> = reading.at === undefined ? {} : { at: reading.at };
  if (reading.systolic > t.maxSystolic || reading.diastolic > t.maxDiastolic)
    out.push({
      rule: 'bp.above-threshold',
      severity: 'needs-reason',
      message:
        `Pre-dose blood pressure ${reading.systolic}/${reading.diastolic} is above ` +
        `${t.maxSystolic}/${t.maxDiastolic} — consider delaying; to go ahead, give the clinical reason`,
      source,
      values: { systolic: reading.systolic, diastolic: reading.diastolic, ...when },
    });
  if (t.maxHeartRate !== undefined && reading.heartRate > t.maxHeartRate)
    out.push({
      rule: 'hr.above-threshold',
      severity: 'needs-reason',
      message:
        `Pre-dose heart rate ${reading.heartRate} is above ${t.maxHeartRate} — consider delaying; ` +
        'to go ahead, give the clinical reason',
      source,
      values: { heartRate: reading.heartRate, ...when },
    });
  return out;
}
