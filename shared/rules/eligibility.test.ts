import { describe, expect, it } from 'vitest';
import type { EligibilityBody } from '../model/eligibility';
import {
  DEFAULT_CONTRAINDICATIONS,
  assertEligibilityMaySign,
  contraindicationChecklist,
  evaluationChecklist,
  presentContraindications,
  currentEligibility,
  eligibilityMissing,
  eligibilityProblem,
  flagMedication,
  flagMedications,
} from './eligibility';
import { evaluation, patientId } from './dosing/test-fixtures';

describe('flagged medications', () => {
  it.each([
    ['Xanax XR 0.5 mg at night', 'benzodiazepine'],
    ['LORAZEPAM', 'benzodiazepine'],
    ['zolpidem 10mg', 'sedative'],
    ['Gabapentin 300 mg TID', 'sedative'],
    ['Adderall', 'stimulant'],
    ['modafinil', 'stimulant'],
    ['Phenelzine (Nardil)', 'maoi'],
    ['Emsam patch', 'maoi'],
    ['Suboxone film 8/2', 'opioid'],
    ['tramadol', 'opioid'],
  ])('%s → %s', (name, flag) => {
    expect(flagMedication(name)).toBe(flag);
  });

  it('leaves other medicines unflagged and does not match inside other words', () => {
    expect(flagMedication('Sertraline 100 mg')).toBeUndefined();
    expect(flagMedication('Lisinopril')).toBeUndefined();
    expect(flagMedication('Somatostatin')).toBeUndefined(); // contains "soma"
  });

  it("fills flags in but keeps the prescriber's own", () => {
    expect(
      flagMedications([
        { name: 'Klonopin 0.5 mg' },
        { name: 'Quetiapine 25 mg', flag: 'sedative' },
        { name: 'Levothyroxine' },
      ]),
    ).toEqual([
      { name: 'Klonopin 0.5 mg', flag: 'benzodiazepine' },
      { name: 'Quetiapine 25 mg', flag: 'sedative' },
      { name: 'Levothyroxine' },
    ]);
  });
});

describe('contraindication checklist', () => {
  it('has the six defaults, then the clinic additions, without duplicates', () => {
    expect(DEFAULT_CONTRAINDICATIONS.map((c) => c.key)).toEqual([
      'pregnancy',
      'uncontrolled-hypertension',
      'psychosis-history',
      'active-substance-use-disorder',
      'hyperthyroidism',
      'prior-ketamine-misuse',
    ]);
    const list = contraindicationChecklist([
      { key: 'aneurysmal-vascular-disease', label: 'Aneurysmal vascular disease' },
      { key: 'pregnancy', label: 'Pregnant' },
    ]);
    expect(list).toHaveLength(7);
    expect(list.find((c) => c.key === 'pregnancy')?.label).toBe(
      'Pregnancy, or planning a pregnancy',
    );
    expect(list[6]?.key).toBe('aneurysmal-vascular-disease');
  });
});

const allAnswered = Object.fromEntries(DEFAULT_CONTRAINDICATIONS.map((c) => [c.key, false]));
const complete = (over: Partial<EligibilityBody> = {}): EligibilityBody => ({
  ...evaluation('eligible'),
  contraindications: allAnswered,
  ...over,
});

describe('signing an evaluation', () => {
  it('signs when everything is answered', () => {
    expect(eligibilityMissing(complete())).toEqual([]);
    expect(() => assertEligibilityMaySign(complete())).not.toThrow();
  });

  it('names every unanswered part', () => {
    const blank = complete({
      indication: 'other',
      psychiatricHistory: ' ',
      medicalHistory: '',
      contraindications: { pregnancy: false, hyperthyroidism: true },
      decision: undefined,
    });
    expect(eligibilityMissing(blank)).toEqual([
      'Describe the indication ("other" was chosen)',
      'Record the psychiatric history (psychosis, mania, substance use, prior treatments)',
      'Record the medical history',
      'Answer yes or no for: Uncontrolled hypertension, History of psychosis, Active substance use disorder, Prior ketamine misuse',
      'Record the decision (eligible, not eligible, or with conditions)',
    ]);
    expect(() => assertEligibilityMaySign(blank)).toThrow(/cannot be signed yet: Describe/);
  });

  it('needs the conditions when eligible with conditions', () => {
    expect(eligibilityMissing(complete({ decision: 'eligible-with-conditions' }))).toEqual([
      'State the conditions of eligibility',
    ]);
  });

  it("asks for the clinic's own items too", () => {
    const checklist = contraindicationChecklist([
      { key: 'avm', label: 'Arteriovenous malformation' },
    ]);
    expect(eligibilityMissing(complete(), checklist)).toEqual([
      'Answer yes or no for: Arteriovenous malformation',
    ]);
  });
});

describe("the clinic's own contraindications", () => {
  const avm = { key: 'clinic-avm', label: 'Arteriovenous malformation' };
  const checklist = contraindicationChecklist([avm]);

  it('a ticked clinic item stops a plain "eligible" exactly like a built-in one', () => {
    const builtIn = complete({ contraindications: { ...allAnswered, hyperthyroidism: true } });
    expect(eligibilityMissing(builtIn)).toEqual([
      'Contraindication present (Hyperthyroidism): choose "eligible with conditions" and state ' +
        'how it is managed, or "not eligible"',
    ]);
    const clinic = complete({ contraindications: { ...allAnswered, [avm.key]: true } });
    expect(eligibilityMissing(clinic, checklist)).toEqual([
      'Contraindication present (Arteriovenous malformation): choose "eligible with conditions" ' +
        'and state how it is managed, or "not eligible"',
    ]);
    expect(() => assertEligibilityMaySign(clinic, checklist)).toThrow(/Contraindication present/);
    expect(presentContraindications(clinic, checklist)).toEqual([avm]);
  });

  it('with conditions stated, or declined, it may be signed; answered no changes nothing', () => {
    const answers = { ...allAnswered, [avm.key]: true };
    expect(
      eligibilityMissing(
        complete({
          contraindications: answers,
          decision: 'eligible-with-conditions',
          conditions: 'Neurology clearance on file; BP ceiling 130/80 during sessions',
        }),
        checklist,
      ),
    ).toEqual([]);
    expect(
      eligibilityMissing(
        complete({ contraindications: answers, decision: 'not-eligible' }),
        checklist,
      ),
    ).toEqual([]);
    expect(
      eligibilityMissing(
        complete({ contraindications: { ...allAnswered, [avm.key]: false } }),
        checklist,
      ),
    ).toEqual([]);
  });

  it('a signed evaluation keeps the wording it was asked in, even after the clinic removes the item', () => {
    const answered = {
      contraindications: { ...allAnswered, [avm.key]: false },
      contraindicationLabels: { [avm.key]: avm.label },
    };
    expect(evaluationChecklist(answered, []).at(-1)).toEqual(avm);
    expect(
      evaluationChecklist(answered, [{ key: avm.key, label: 'AVM (renamed)' }]).at(-1),
    ).toEqual(avm);
    expect(evaluationChecklist({ contraindications: allAnswered }, [avm])).toHaveLength(7);
  });
});

describe('current eligibility', () => {
  const at = new Date('2026-11-21T12:00:00.000Z');

  it('is none without a signed evaluation', () => {
    expect(currentEligibility([], at, 12)).toEqual({ state: 'none' });
    expect(currentEligibility([evaluation('eligible', undefined, 'draft')], at, 12)).toEqual({
      state: 'none',
    });
    expect(
      currentEligibility([evaluation('eligible', undefined, 'entered-in-error')], at, 12).state,
    ).toBe('none');
  });

  it('counts through the same calendar day validMonths later, then expires', () => {
    const e = [evaluation('eligible', '2025-11-21T16:00:00.000Z')];
    expect(currentEligibility(e, at, 12)).toMatchObject({
      state: 'eligible',
      validUntil: '2026-11-21',
    });
    expect(currentEligibility(e, new Date('2026-11-22T00:00:00.000Z'), 12).state).toBe('expired');
    expect(currentEligibility(e, at, 6).state).toBe('expired');
  });

  it("counts in the clinic's days, not UTC's, around midnight (issue 15, finding 6)", () => {
    // Los Angeles: signed 20:00 on 21 Nov 2025 (04:00 UTC on the 22nd); valid through 21 Nov 2026.
    const la = [evaluation('eligible', '2025-11-22T04:00:00.000Z')];
    const laMorning = new Date('2026-11-22T18:00:00.000Z'); // 10:00 on the 22nd in LA
    expect(currentEligibility(la, laMorning, 12, 'America/Los_Angeles').state).toBe('expired');
    const laLastEvening = new Date('2026-11-22T07:30:00.000Z'); // 23:30 on the 21st in LA
    expect(currentEligibility(la, laLastEvening, 12, 'America/Los_Angeles')).toMatchObject({
      state: 'eligible',
      validUntil: '2026-11-21',
    });
    // Tokyo: signed 08:00 on 21 Nov 2025 (23:00 UTC on the 20th); still valid on 21 Nov 2026.
    const tokyo = [evaluation('eligible', '2025-11-20T23:00:00.000Z')];
    const tokyoMorning = new Date('2026-11-21T01:00:00.000Z'); // 10:00 on the 21st in Tokyo
    expect(currentEligibility(tokyo, tokyoMorning, 12, 'Asia/Tokyo').state).toBe('eligible');
    const tokyoNextDay = new Date('2026-11-21T15:30:00.000Z'); // 00:30 on the 22nd in Tokyo
    expect(currentEligibility(tokyo, tokyoNextDay, 12, 'Asia/Tokyo').state).toBe('expired');
  });

  it('takes the last day of a shorter month', () => {
    const e = [evaluation('eligible', '2026-01-31T10:00:00.000Z')];
    expect(currentEligibility(e, new Date('2026-02-28T23:00:00.000Z'), 1)).toMatchObject({
      state: 'eligible',
      validUntil: '2026-02-28',
    });
    expect(currentEligibility(e, new Date('2026-03-01T00:00:00.000Z'), 1).state).toBe('expired');
  });

  it('is decided by the latest signed evaluation, ignoring ones dated in the future', () => {
    const e = [
      evaluation('not-eligible', '2026-06-01T10:00:00.000Z'),
      evaluation('eligible-with-conditions', '2026-10-01T10:00:00.000Z'),
      evaluation('not-eligible', '2026-12-01T10:00:00.000Z'),
    ];
    const current = currentEligibility(e, at, 12);
    expect(current.state).toBe('eligible-with-conditions');
    expect(current.state !== 'none' && current.evaluation.patientId).toBe(patientId);
  });

  it('a start typed before the evaluation says so, in clinic time, not "no evaluation" (issue 15, finding 7)', () => {
    // Chicago: evaluated at 15:10 on 21 Nov, the infusion start typed as 15:00 the same day.
    const e = [evaluation('eligible', '2026-11-21T21:10:00.000Z')];
    const start = new Date('2026-11-21T21:00:00.000Z');
    const problem = eligibilityProblem(currentEligibility(e, start, 12, 'America/Chicago'));
    expect(problem).toBe(
      'The eligibility evaluation is dated 15:10, after the start you recorded (15:00) — record ' +
        'the start at or after 15:10, or check the time you entered',
    );
    expect(problem).not.toMatch(/No signed eligibility evaluation/);
    // Tokyo: a start typed on the evening before the morning evaluation names both days.
    const tokyo = [evaluation('eligible', '2026-11-21T00:30:00.000Z')]; // 09:30 on 21 Nov
    const eveningBefore = new Date('2026-11-20T13:45:00.000Z'); // 22:45 on 20 Nov
    expect(eligibilityProblem(currentEligibility(tokyo, eveningBefore, 12, 'Asia/Tokyo'))).toBe(
      'The eligibility evaluation is dated Nov 21, 2026 09:30, after the start you recorded ' +
        '(Nov 20, 2026 22:45) — record the start at or after Nov 21, 2026 09:30, or check the ' +
        'time you entered',
    );
    // A later evaluation that says not eligible is no reason to move the start: plain "none".
    const refused = [evaluation('not-eligible', '2026-11-21T21:10:00.000Z')];
    expect(eligibilityProblem(currentEligibility(refused, start, 12, 'America/Chicago'))).toMatch(
      /^No signed eligibility evaluation/,
    );
  });
});
