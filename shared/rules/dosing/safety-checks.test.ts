import { describe, expect, it } from 'vitest';
import type { DoseRecord, VitalSigns } from '../../model/dose';
import { RuleError } from '../errors';
import {
  assertDoseMaySign,
  evaluateDoseSafety,
  overrideFinding,
  type DoseSafetyInput,
} from './safety-checks';
import { esketamineDose, evaluation, ivDose, prescriberId, settings } from './test-fixtures';

const doseAt = new Date('2026-11-21T10:00:00.000Z');

function check(dose: DoseRecord, over: Partial<DoseSafetyInput> = {}) {
  return evaluateDoseSafety({
    dose,
    at: doseAt,
    settings,
    eligibility: [evaluation('eligible')],
    consentCurrent: true,
    otherDoses: [],
    timeZone: 'UTC',
    ...over,
  });
}
const rules = (dose: DoseRecord, over: Partial<DoseSafetyInput> = {}) =>
  check(dose, over).map((f) => `${f.severity}:${f.rule}`);

const baseline = (systolic: number, diastolic: number, heartRate = 72): VitalSigns[] => [
  { at: '2026-11-21T09:55:00.000Z', systolic, diastolic, heartRate, label: 'baseline' },
];

describe('a well-prepared dose', () => {
  it('has nothing to report', () => {
    expect(check(ivDose())).toEqual([]);
    expect(check(esketamineDose())).toEqual([]);
  });
});

describe('eligibility (hard stop)', () => {
  it('stops without a signed evaluation saying eligible', () => {
    expect(rules(ivDose(), { eligibility: [] })).toEqual(['stop:eligibility.not-current']);
    expect(check(ivDose(), { eligibility: [] })[0]!.message).toMatch(/No signed eligibility/);
    expect(rules(ivDose(), { eligibility: [evaluation('eligible', undefined, 'draft')] })).toEqual([
      'stop:eligibility.not-current',
    ]);
  });

  it('accepts eligible with conditions', () => {
    expect(check(ivDose(), { eligibility: [evaluation('eligible-with-conditions')] })).toEqual([]);
  });

  it('lets a later "not eligible" win over an earlier "eligible"', () => {
    const findings = check(ivDose(), {
      eligibility: [
        evaluation('eligible', '2026-09-01T10:00:00.000Z'),
        evaluation('not-eligible', '2026-11-01T10:00:00.000Z'),
      ],
    });
    expect(findings.map((f) => f.message)).toEqual([
      'The latest signed eligibility evaluation says not eligible — do not dose',
    ]);
  });

  it('stops once the evaluation is older than the clinic interval', () => {
    const old = [evaluation('eligible', '2025-11-20T10:00:00.000Z')];
    expect(check(ivDose(), { eligibility: old })[0]!.message).toBe(
      'The eligibility evaluation expired after 2026-11-20 — re-evaluate before dosing',
    );
    const lastDay = [evaluation('eligible', '2025-11-21T08:00:00.000Z')];
    expect(check(ivDose(), { eligibility: lastDay })).toEqual([]);
  });
});

describe('consent (hard stop)', () => {
  it('stops and passes on the reason from the consent rules', () => {
    const findings = check(ivDose(), {
      consentCurrent: false,
      consentReason: 'KAT informed consent expired on 2026-11-01 — have the patient re-sign',
    });
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'consent.not-current',
        severity: 'stop',
        message: 'KAT informed consent expired on 2026-11-01 — have the patient re-sign',
      }),
    ]);
    expect(check(ivDose(), { consentCurrent: false })[0]!.message).toMatch(
      /No current signed consent/,
    );
  });
});

describe('baseline vitals', () => {
  it('stops without a reading before the dose', () => {
    expect(rules(ivDose({ vitals: [] }))).toEqual(['stop:vitals.baseline-missing']);
    const afterOnly = ivDose({
      vitals: [
        {
          at: '2026-11-21T10:05:00.000Z',
          systolic: 120,
          diastolic: 80,
          heartRate: 70,
          label: 'interval',
        },
      ],
    });
    expect(rules(afterOnly)).toEqual(['stop:vitals.baseline-missing']);
  });

  it.each([
    [139, 80, []],
    [140, 80, []],
    [141, 80, ['needs-reason:bp.above-threshold']],
    [120, 89, []],
    [120, 90, []],
    [120, 91, ['needs-reason:bp.above-threshold']],
  ])('in the clinic, %i/%i → %j', (sys, dia, expected) => {
    expect(rules(ivDose({ vitals: baseline(sys, dia) }))).toEqual(expected);
  });

  it('names the reading and the threshold', () => {
    expect(check(ivDose({ vitals: baseline(141, 80) }))[0]!.message).toBe(
      'Pre-dose blood pressure 141/80 is above 140/90 — consider delaying; to go ahead, give the clinical reason',
    );
  });

  it('uses the latest pre-dose reading (a recheck after rest counts)', () => {
    const vitals: VitalSigns[] = [
      {
        at: '2026-11-21T09:40:00.000Z',
        systolic: 152,
        diastolic: 94,
        heartRate: 88,
        label: 'baseline',
      },
      {
        at: '2026-11-21T09:55:00.000Z',
        systolic: 136,
        diastolic: 86,
        heartRate: 76,
        label: 'baseline',
      },
    ];
    expect(check(ivDose({ vitals }))).toEqual([]);
  });

  it.each([
    [160, 90, 100, []],
    [161, 90, 100, ['needs-reason:bp.above-threshold']],
    [160, 91, 100, ['needs-reason:bp.above-threshold']],
    [160, 90, 101, ['needs-reason:hr.above-threshold']],
  ])('at home, %i/%i HR %i → %j', (sys, dia, hr, expected) => {
    const dose = ivDose({
      setting: 'at-home',
      route: 'sublingual-troche',
      vitals: baseline(sys, dia, hr),
    });
    expect(rules(dose)).toEqual(expected);
  });

  it('has no heart-rate threshold in the clinic', () => {
    expect(check(ivDose({ vitals: baseline(120, 80, 118) }))).toEqual([]);
  });

  it("follows the clinic's own thresholds", () => {
    const strict = { ...settings, inOfficeMaxSystolic: 130 };
    expect(rules(ivDose({ vitals: baseline(131, 80) }), { settings: strict })).toEqual([
      'needs-reason:bp.above-threshold',
    ]);
  });
});

describe('mg/kg against the IV protocol range', () => {
  it.each([
    [49, ['needs-reason:mgkg.out-of-range']], // 0.49
    [50, []], // 0.5
    [100, []], // 1.0
    [101, ['needs-reason:mgkg.out-of-range']], // 1.01
  ])('%i mg for 100 kg → %j', (doseMg, expected) => {
    expect(rules(ivDose({ doseMg, weightKg: 100 }))).toEqual(expected);
  });

  it('judges the exact mg/kg, and shows enough decimals to see why (issue 15)', () => {
    // 0.496 and 1.004 used to pass because they round to 0.50 and 1.00.
    expect(check(ivDose({ doseMg: 49.6, weightKg: 100 }))[0]!.message).toBe(
      "0.496 mg/kg is outside the clinic's range of 0.5–1 mg/kg — give the reason for this dose",
    );
    expect(check(ivDose({ doseMg: 100.4, weightKg: 100 }))[0]!.message).toMatch(/^1.004 mg\/kg/);
    expect(check(ivDose({ doseMg: 49, weightKg: 100 }))[0]!.message).toBe(
      "0.49 mg/kg is outside the clinic's range of 0.5–1 mg/kg — give the reason for this dose",
    );
    expect(check(ivDose({ doseMg: 50, weightKg: 100 }))).toEqual([]); // exactly at the limits
    expect(check(ivDose({ doseMg: 100, weightKg: 100 }))).toEqual([]);
  });

  it('names the values an override of it would justify', () => {
    expect(check(ivDose({ doseMg: 77, weightKg: 70 }))[0]!.values).toEqual({
      mg: 77,
      weightKg: 70,
      mgPerKg: 1.1,
    });
  });

  it('stops when the weight is too old to calculate from (30 days yes, 31 no)', () => {
    expect(check(ivDose({ weightMeasuredOn: '2026-10-22' }))).toEqual([]);
    expect(check(ivDose({ weightMeasuredOn: '2026-10-21' }))).toEqual([
      expect.objectContaining({
        rule: 'weight.not-current',
        severity: 'stop',
        message: 'Weight is older than 30 days — re-weigh before calculating mg/kg',
      }),
    ]);
  });

  it('does not apply a range where the clinic has none (IM, troche)', () => {
    expect(check(ivDose({ route: 'im', doseMg: 200, weightKg: 70 }))).toEqual([]);
  });
});

describe('second dose the same day', () => {
  const earlier = (over: Partial<DoseRecord> = {}) =>
    ivDose({ status: 'signed', infusionStart: '2026-11-21T08:00:00.000Z', ...over });

  it('warns without blocking', () => {
    expect(rules(ivDose(), { otherDoses: [earlier()] })).toEqual(['warn:dose.second-today']);
  });

  it('ignores yesterday, entries in error, and the record itself', () => {
    const dose = ivDose();
    const otherDoses = [
      earlier({ infusionStart: '2026-11-20T15:00:00.000Z' }),
      earlier({ status: 'entered-in-error' }),
      dose,
    ];
    expect(check(dose, { otherDoses })).toEqual([]);
  });

  it("counts days on the clinic's clock, not UTC", () => {
    // 19:00 and 12:00 Chicago time on Nov 20, though UTC already calls the first Nov 21.
    const dose = ivDose({
      infusionStart: '2026-11-21T01:00:00.000Z',
      infusionEnd: '2026-11-21T01:40:00.000Z',
    });
    const lunch = earlier({ infusionStart: '2026-11-20T18:00:00.000Z' });
    const at = new Date('2026-11-21T01:00:00.000Z');
    const vitals = baseline(120, 80).map((v) => ({ ...v, at: '2026-11-21T00:55:00.000Z' }));
    const input = { at, otherDoses: [lunch] };
    expect(rules({ ...dose, vitals }, { ...input, timeZone: 'America/Chicago' })).toEqual([
      'warn:dose.second-today',
    ]);
    expect(rules({ ...dose, vitals }, { ...input, timeZone: 'UTC' })).toEqual([]);
  });
});

describe('lot', () => {
  it('accepts a lot expiring today and stops one that expired yesterday', () => {
    expect(check(ivDose({ lotExpiry: '2026-11-21' }))).toEqual([]);
    expect(check(ivDose({ lotExpiry: '2026-11-20' }))).toEqual([
      expect.objectContaining({
        rule: 'lot.expired',
        severity: 'stop',
        message: 'Lot KX2291 expired on 2026-11-20 — use an unexpired lot',
      }),
    ]);
  });

  it('stops without a lot in the clinic', () => {
    expect(rules(ivDose({ lotId: undefined, lotNumber: undefined }))).toEqual(['stop:lot.missing']);
  });
});

describe('esketamine', () => {
  it.each([
    [56, []],
    [84, []],
    // Spravato PI: 56 or 84 mg only; anything else is a hard stop (issue 15).
    [28, ['stop:esketamine.dose']],
    [60, ['stop:esketamine.dose']],
    [112, ['stop:esketamine.dose']],
  ])('%i mg → %j', (doseMg, expected) => {
    expect(rules(esketamineDose({ doseMg }))).toEqual(expected);
  });

  it('is refused outside the clinic, whatever else is right', () => {
    expect(rules(esketamineDose({ setting: 'at-home' }))).toEqual(['stop:esketamine.at-home']);
  });

  it('is a nasal spray', () => {
    expect(rules(esketamineDose({ route: 'im' }))).toEqual(['stop:esketamine.route']);
  });

  it('needs the pre-dose blood pressure from the hour before the dose (Spravato label)', () => {
    const reading = (hhmm: string) => [
      {
        at: `2026-11-21T${hhmm}:00.000Z`,
        systolic: 124,
        diastolic: 78,
        heartRate: 70,
        label: 'baseline' as const,
      },
    ];
    expect(rules(esketamineDose({ vitals: reading('09:00') }))).toEqual([]);
    expect(rules(esketamineDose({ vitals: reading('08:59') }))).toEqual([
      'stop:esketamine.baseline-window',
    ]);
  });

  it('has no weight-based check', () => {
    expect(check(esketamineDose({ doseMg: 84 }))).toEqual([]);
  });
});

describe('order and sources', () => {
  it('lists hard stops first and cites a source for every finding', () => {
    const findings = check(ivDose({ vitals: baseline(150, 95), lotExpiry: '2026-01-01' }), {
      consentCurrent: false,
      otherDoses: [ivDose({ status: 'signed', infusionStart: '2026-11-21T08:00:00.000Z' })],
    });
    expect(findings.map((f) => f.severity)).toEqual(['stop', 'stop', 'needs-reason', 'warn']);
    for (const f of findings) expect(f.source.length).toBeGreaterThan(10);
  });
});

const completeDischarge = {
  at: '2026-11-21T12:30:00.000Z',
  vitalsNearBaseline: true,
  sedationResolved: true,
  dissociationResolved: true,
  alertAndOriented: true,
  escortName: 'Jordan Lee (brother)',
  noDrivingInstructionGiven: true,
};

describe('signing a dose record', () => {
  const dose = ivDose({ vitals: baseline(150, 85), discharge: completeDischarge });
  const findings = check(dose);
  const override = (reason: string) => [
    { rule: 'bp.above-threshold', reason, values: findings[0]!.values },
  ];

  it('needs a reason for every needs-reason finding', () => {
    expect(() => assertDoseMaySign(dose, findings, [])).toThrow(
      /cannot be signed yet: Pre-dose blood pressure 150\/85 .* \(no reason recorded\)/,
    );
    expect(() => assertDoseMaySign(dose, findings, override('ok'))).toThrow(RuleError);
    expect(() =>
      assertDoseMaySign(dose, findings, override('Chronic HTN, 150s usual; PCP aware')),
    ).not.toThrow();
  });

  it('an override answers only the reading it was given for', () => {
    const later = check(ivDose({ vitals: baseline(160, 85), discharge: completeDischarge }));
    expect(() =>
      assertDoseMaySign(dose, later, override('Chronic HTN, 150s usual; PCP aware')),
    ).toThrow(/160\/85 .* \(no reason recorded\)/);
  });

  it('can never sign over a hard stop, even with an override entry', () => {
    const stopped = check(dose, { consentCurrent: false });
    const overrides = [
      ...override('Chronic HTN, 150s usual'),
      { rule: 'consent.not-current', reason: 'Patient verbally agreed' },
    ];
    expect(() => assertDoseMaySign(dose, stopped, overrides)).toThrow(/No current signed consent/);
  });

  it('waits for a complete discharge in the clinic, not at home', () => {
    const undischarged = ivDose();
    expect(() => assertDoseMaySign(undischarged, [], [])).toThrow(/Record the discharge/);
    expect(() => assertDoseMaySign({ ...undischarged, setting: 'at-home' }, [], [])).not.toThrow();
  });

  it('records an override only for needs-reason findings', () => {
    const at = new Date('2026-11-21T09:58:00.000Z');
    expect(overrideFinding(findings[0]!, '  Chronic HTN, 150s usual  ', prescriberId, at)).toEqual({
      rule: 'bp.above-threshold',
      values: { systolic: 150, diastolic: 85, at: expect.any(String) },
      reason: 'Chronic HTN, 150s usual',
      by: prescriberId,
      at: '2026-11-21T09:58:00.000Z',
    });
    expect(() => overrideFinding(findings[0]!, 'ok', prescriberId, at)).toThrow(/clinical reason/);
    const stop = check(ivDose(), { consentCurrent: false })[0]!;
    expect(() => overrideFinding(stop, 'Patient agreed verbally', prescriberId, at)).toThrow(
      /cannot be overridden/,
    );
  });
});

describe("lot expiry and weight age count the clinic's days around midnight (issue 15, deliverable 7)", () => {
  /** A dose started at `iso`, baseline 5 minutes before, lot expiring and weight taken as given. */
  const near = (iso: string) => {
    const start = Date.parse(iso);
    const t = (min: number) => new Date(start + min * 60_000).toISOString();
    return {
      dose: ivDose({
        infusionStart: t(0),
        infusionEnd: t(40),
        lotExpiry: '2026-11-21',
        weightMeasuredOn: '2026-10-22',
        vitals: baseline(124, 78).map((v) => ({ ...v, at: t(-5) })),
      }),
      at: new Date(iso),
    };
  };

  it('Tokyo, 00:30 on 22 Nov (still 21 Nov in UTC): the lot has expired, the weight is 31 days old', () => {
    const { dose, at } = near('2026-11-21T15:30:00.000Z');
    expect(rules(dose, { at, timeZone: 'Asia/Tokyo' })).toEqual([
      'stop:weight.not-current',
      'stop:lot.expired',
    ]);
    expect(rules(dose, { at, timeZone: 'UTC' })).toEqual([]);
  });

  it('Los Angeles, 23:30 on 21 Nov (already 22 Nov in UTC): the lot is usable, the weight current', () => {
    const { dose, at } = near('2026-11-22T07:30:00.000Z');
    expect(rules(dose, { at, timeZone: 'America/Los_Angeles' })).toEqual([]);
    expect(rules(dose, { at, timeZone: 'UTC' })).toEqual([
      'stop:weight.not-current',
      'stop:lot.expired',
    ]);
  });
});
