/**
 * Every clinic setting the dosing rules read, with what it does, its shipped default and the
 * source of the rule, as the administrator's Dosing rules panel lists them (issue 15,
 * deliverable 6). Defaults come from the schema (shared/model/settings.ts), never restated here.
 */
import {
  ClinicSettingsBody,
  DOSING_SETTING_KEYS,
  type DosingSettingKey,
  type DosingThresholds,
} from '../../model/settings';

export type DosingSettingInfo = {
  key: DosingSettingKey;
  label: string;
  unit: string;
  /** What the rule does with the number, in the clinic's words. */
  rule: string;
  /** Where the rule and its default come from. */
  source: string;
  /** NumberInput step and decimals (mg/kg has two). */
  decimals: number;
};

export const DOSING_SETTINGS: readonly DosingSettingInfo[] = [
  {
    key: 'vitalsIntervalMinutes',
    label: 'Vitals interval',
    unit: 'minutes',
    rule: 'Ketamine sessions: the next set of vitals is due this long after the last one, until discharge',
    source: 'Clinic monitoring protocol; every 15 minutes is common (PRODUCT.md)',
    decimals: 0,
  },
  {
    key: 'inOfficeMaxSystolic',
    label: 'In-office systolic threshold',
    unit: 'mmHg',
    rule: 'A pre-dose systolic pressure above this needs a stated reason before dosing starts',
    source: 'Spravato PI, Warnings (increase in blood pressure): consider the risks above 140/90',
    decimals: 0,
  },
  {
    key: 'inOfficeMaxDiastolic',
    label: 'In-office diastolic threshold',
    unit: 'mmHg',
    rule: 'A pre-dose diastolic pressure above this needs a stated reason before dosing starts',
    source: 'Spravato PI, Warnings (increase in blood pressure): consider the risks above 140/90',
    decimals: 0,
  },
  {
    key: 'atHomeMaxSystolic',
    label: 'At-home systolic threshold',
    unit: 'mmHg',
    rule: 'An at-home pre-dose systolic pressure above this needs a stated reason',
    source: 'At-home program protocol: 160/90 and heart rate 100 are common (PRODUCT.md)',
    decimals: 0,
  },
  {
    key: 'atHomeMaxDiastolic',
    label: 'At-home diastolic threshold',
    unit: 'mmHg',
    rule: 'An at-home pre-dose diastolic pressure above this needs a stated reason',
    source: 'At-home program protocol: 160/90 and heart rate 100 are common (PRODUCT.md)',
    decimals: 0,
  },
  {
    key: 'atHomeMaxHeartRate',
    label: 'At-home heart rate threshold',
    unit: 'beats/min',
    rule: 'An at-home pre-dose heart rate above this needs a stated reason',
    source: 'At-home program protocol: 160/90 and heart rate 100 are common (PRODUCT.md)',
    decimals: 0,
  },
  {
    key: 'ivMinMgPerKg',
    label: 'IV ketamine minimum',
    unit: 'mg/kg',
    rule: 'An IV dose below this (on the larger of planned and given) needs a stated reason',
    source: 'Clinic IV protocol; 0.5–1.0 mg/kg over about 40 minutes is typical (PRODUCT.md)',
    decimals: 2,
  },
  {
    key: 'ivMaxMgPerKg',
    label: 'IV ketamine maximum',
    unit: 'mg/kg',
    rule: 'An IV dose above this (on the larger of planned and given) needs a stated reason',
    source: 'Clinic IV protocol; 0.5–1.0 mg/kg over about 40 minutes is typical (PRODUCT.md)',
    decimals: 2,
  },
  {
    key: 'weightMaxAgeDays',
    label: 'Weight age limit',
    unit: 'days',
    rule: 'mg/kg is calculated only from a weight at most this old; an older one asks to re-weigh',
    source: 'Clinic protocol: mg/kg from a recent weight (PRODUCT.md)',
    decimals: 0,
  },
  {
    key: 'eligibilityValidMonths',
    label: 'Eligibility evaluation valid for',
    unit: 'months',
    rule: 'Dosing is refused once the last signed eligible evaluation is older than this',
    source: 'Clinic protocol: a signed eligibility evaluation before dosing (issue 4)',
    decimals: 0,
  },
  {
    key: 'timeZone',
    label: 'Clinic time zone',
    unit: '',
    rule: "The clinic's days for same-day doses, weight age, lot expiry and eligibility validity",
    source: "Clinic setting; without one, each computer's own time zone",
    decimals: 0,
  },
];

/** The shipped default of each dosing setting (absent time zone: the device's own). */
export function dosingDefaults(): DosingThresholds {
  const d = ClinicSettingsBody.parse({ clinicName: 'Clinic' });
  return pickDosingSettings(d);
}

/** The dosing settings out of a clinic settings record, as a signed dose keeps them. */
export function pickDosingSettings(s: Partial<ClinicSettingsBody>): DosingThresholds {
  const out: Record<string, unknown> = {};
  for (const k of DOSING_SETTING_KEYS) if (s[k] !== undefined) out[k] = s[k];
  return out as DosingThresholds;
}

/** "Vitals interval 15 → 10 minutes" for each setting that differs, for the audit event. */
export function describeDosingChanges(
  before: Partial<DosingThresholds>,
  after: Partial<DosingThresholds>,
): string[] {
  return DOSING_SETTINGS.filter((i) => before[i.key] !== after[i.key]).map((i) => {
    const show = (v: unknown) => (v === undefined || v === '' ? "device's zone" : String(v));
    return `${i.label} ${show(before[i.key])} → ${show(after[i.key])}${i.unit ? ` ${i.unit}` : ''}`;
  });
}
