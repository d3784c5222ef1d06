import { describe, expect, it } from 'vitest';
import { DOSING_SETTING_KEYS, DosingThresholds } from '../../model/settings';
import { DOSING_SETTINGS, describeDosingChanges, dosingDefaults } from './settings-catalog';

const defaults = dosingDefaults();
const messages = (input: unknown) => {
  const r = DosingThresholds.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('dosing settings schema', () => {
  it('accepts the shipped defaults: 15 min, 140/90 in office, 160/90 and HR 100 at home, 0.5–1 mg/kg', () => {
    expect(DosingThresholds.parse(defaults)).toEqual({
      vitalsIntervalMinutes: 15,
      inOfficeMaxSystolic: 140,
      inOfficeMaxDiastolic: 90,
      atHomeMaxSystolic: 160,
      atHomeMaxDiastolic: 90,
      atHomeMaxHeartRate: 100,
      ivMinMgPerKg: 0.5,
      ivMaxMgPerKg: 1,
      weightMaxAgeDays: 30,
      eligibilityValidMonths: 12,
    });
  });

  it('refuses a BP threshold of 400 in words naming the setting and its range', () => {
    expect(messages({ ...defaults, inOfficeMaxSystolic: 400 })).toEqual([
      'inOfficeMaxSystolic: The in-office systolic threshold must be a whole number from 100 to 200 mmHg',
    ]);
  });

  it.each([
    ['vitalsIntervalMinutes', 4, false],
    ['vitalsIntervalMinutes', 5, true],
    ['vitalsIntervalMinutes', 60, true],
    ['vitalsIntervalMinutes', 61, false],
    ['vitalsIntervalMinutes', 7.5, false],
    ['inOfficeMaxSystolic', 99, false],
    ['inOfficeMaxSystolic', 200, true],
    ['inOfficeMaxDiastolic', 131, false],
    ['atHomeMaxHeartRate', 49, false],
    ['atHomeMaxHeartRate', 150, true],
    ['weightMaxAgeDays', 0, false],
    ['weightMaxAgeDays', 365, true],
    ['eligibilityValidMonths', 37, false],
    ['ivMinMgPerKg', 0.05, false],
    ['ivMaxMgPerKg', 3, true],
    ['ivMaxMgPerKg', 3.01, false],
  ] as const)('%s = %s accepted: %s', (key, value, ok) => {
    expect(messages({ ...defaults, [key]: value }).length === 0).toBe(ok);
  });

  it('refuses an IV maximum below the minimum', () => {
    expect(messages({ ...defaults, ivMinMgPerKg: 0.8, ivMaxMgPerKg: 0.6 })).toEqual([
      'ivMaxMgPerKg: The IV maximum must be at least the IV minimum',
    ]);
  });

  it('refuses an empty number and an unknown time zone, accepts a real one', () => {
    expect(messages({ ...defaults, vitalsIntervalMinutes: undefined })).toEqual([
      'vitalsIntervalMinutes: The vitals interval is needed (5–60 minutes)',
    ]);
    expect(messages({ ...defaults, timeZone: 'Mars/Olympus' })).toEqual([
      'timeZone: Choose a time zone from the list (for example America/Chicago)',
    ]);
    expect(messages({ ...defaults, timeZone: 'Asia/Tokyo' })).toEqual([]);
  });
});

describe('dosing settings catalog', () => {
  it('lists every setting the dosing rules read, each with a source', () => {
    expect(DOSING_SETTINGS.map((s) => s.key).sort()).toEqual([...DOSING_SETTING_KEYS].sort());
    for (const s of DOSING_SETTINGS) expect(s.source.length).toBeGreaterThan(10);
  });

  it('describes what changed for the audit trail', () => {
    expect(
      describeDosingChanges(defaults, {
        ...defaults,
        vitalsIntervalMinutes: 10,
        timeZone: 'America/Chicago',
      }),
    ).toEqual([
      'Vitals interval 15 → 10 minutes',
      "Clinic time zone device's zone → America/Chicago",
    ]);
  });
});
