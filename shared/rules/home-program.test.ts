import { describe, expect, it } from 'vitest';
import { HomePrescriptionBody } from '../model/eligibility';
import type { DoseRecord, VitalSigns } from '../model/dose';
import type { HomePrescription } from '../model/eligibility';
import { uuidv7 } from '../util/ids';
import {
  assertRefillAllowed,
  checkHomeSession,
  homeProgramStatus,
  refuseEsketamineAtHome,
  type HomeSessionInput,
} from './home-program';
import { evaluation, ivDose, prescription, settings } from './dosing/test-fixtures';

const rx = prescription(); // 6 sessions, 1 refill allowed
const session = (
  homePrescriptionId: string,
  status: DoseRecord['status'] = 'signed',
): Pick<DoseRecord, 'id' | 'status' | 'homePrescriptionId'> => ({
  id: uuidv7(),
  status,
  homePrescriptionId,
});
const refill = (status: HomePrescription['status'] = 'signed') =>
  prescription({ refillOf: rx.id, status });

describe('sessions used and left', () => {
  it('counts charted sessions, giving back only entries in error', () => {
    const sessions = [
      session(rx.id),
      session(rx.id, 'draft'),
      session(rx.id, 'entered-in-error'),
      session(uuidv7()), // another prescription
    ];
    expect(homeProgramStatus(rx, [rx], sessions)).toEqual({
      sessionsAllowed: 6,
      sessionsUsed: 2,
      sessionsLeft: 4,
      refillsAllowed: 1,
      refillsUsed: 0,
      refillsLeft: 1,
    });
  });

  it('adds the sessions of an issued refill, not of a draft one', () => {
    const r = refill();
    const sessions = [session(rx.id), session(r.id)];
    expect(homeProgramStatus(rx, [rx, r, refill('draft')], sessions)).toMatchObject({
      sessionsAllowed: 12,
      sessionsUsed: 2,
      sessionsLeft: 10,
      refillsUsed: 1,
      refillsLeft: 0,
    });
  });
});

describe('refills', () => {
  it('allows up to the number written, then refuses', () => {
    expect(() => assertRefillAllowed(rx, [rx])).not.toThrow();
    expect(() => assertRefillAllowed(rx, [rx, refill()])).toThrow(
      'All 1 refills of this prescription are used — write a new prescription after reviewing the program',
    );
    expect(() => assertRefillAllowed(rx, [rx, refill('entered-in-error')])).not.toThrow();
  });

  it('refuses refills of a no-refill, unsigned, or refill prescription', () => {
    const none = prescription({ refillsAllowed: 0 });
    expect(() => assertRefillAllowed(none, [none])).toThrow(/allows no refills/);
    const draft = prescription({ status: 'draft' });
    expect(() => assertRefillAllowed(draft, [draft])).toThrow(/not signed/);
    expect(() => assertRefillAllowed(refill(), [rx])).toThrow(/from the original prescription/);
  });
});

describe('esketamine at home', () => {
  it('is refused with a plain reason, in the rules and in the schema', () => {
    expect(() => refuseEsketamineAtHome('esketamine-nasal')).toThrow(/in-office only/);
    expect(() => refuseEsketamineAtHome('ketamine-hcl')).not.toThrow();
    const parsed = HomePrescriptionBody.safeParse({ ...rx, medication: 'esketamine-nasal' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/Esketamine is in-office only/);
  });
});

const reported = (systolic: number, diastolic: number, heartRate: number): VitalSigns[] => [
  { at: '2026-11-21T17:55:00.000Z', systolic, diastolic, heartRate, label: 'baseline' },
];

function homeDose(over: Partial<DoseRecord> = {}): HomeSessionInput['dose'] {
  return ivDose({
    route: 'sublingual-troche',
    doseMg: 200,
    setting: 'at-home',
    homePrescriptionId: rx.id,
    monitorPresent: true,
    lotId: undefined,
    lotNumber: undefined,
    lotExpiry: undefined,
    infusionStart: undefined,
    administeredAt: '2026-11-21T18:00:00.000Z',
    vitals: reported(130, 84, 78),
    ...over,
  });
}

function check(dose = homeDose(), over: Partial<HomeSessionInput> = {}) {
  return checkHomeSession({
    dose,
    at: new Date('2026-11-21T18:00:00.000Z'),
    settings,
    eligibility: [evaluation('eligible')],
    consentCurrent: true,
    otherDoses: [],
    timeZone: 'UTC',
    prescription: rx,
    prescriptions: [rx],
    sessions: [],
    ...over,
  }).map((f) => `${f.severity}:${f.rule}`);
}

describe('an at-home session', () => {
  it('goes ahead with the monitor there and vitals within the at-home thresholds', () => {
    expect(check()).toEqual([]);
    // 150/90 would need a reason in the clinic; at home the limit is 160/90.
    expect(check(homeDose({ vitals: reported(150, 90, 100) }))).toEqual([]);
  });

  it('applies 160/90 and HR 100 to the reported pre-dose vitals', () => {
    expect(check(homeDose({ vitals: reported(161, 88, 80) }))).toEqual([
      'needs-reason:bp.above-threshold',
    ]);
    expect(check(homeDose({ vitals: reported(158, 91, 80) }))).toEqual([
      'needs-reason:bp.above-threshold',
    ]);
    expect(check(homeDose({ vitals: reported(140, 80, 101) }))).toEqual([
      'needs-reason:hr.above-threshold',
    ]);
  });

  it('uses at-home thresholds even if the record forgot to say at-home', () => {
    expect(check(homeDose({ setting: 'in-office', vitals: reported(150, 85, 80) }))).toEqual([]);
  });

  it('stops without the monitor, without reported vitals, or with no sessions left', () => {
    expect(check(homeDose({ monitorPresent: false }))).toEqual(['stop:home.monitor-absent']);
    expect(check(homeDose({ monitorPresent: undefined }))).toEqual(['stop:home.monitor-absent']);
    expect(check(homeDose({ vitals: [] }))).toEqual(['stop:vitals.baseline-missing']);
    const six = Array.from({ length: 6 }, () => session(rx.id));
    expect(check(homeDose(), { sessions: six })).toEqual(['stop:home.no-sessions-left']);
    expect(check(homeDose(), { sessions: six.slice(1) })).toEqual([]);
  });

  it('counts refills even when the session is charted against the refill', () => {
    const r = refill();
    const six = Array.from({ length: 6 }, () => session(rx.id));
    expect(
      check(homeDose({ homePrescriptionId: r.id }), {
        prescription: r,
        prescriptions: [rx, r],
        sessions: six,
      }),
    ).toEqual([]);
  });

  it('does not count the session being checked against itself', () => {
    const dose = homeDose();
    const five = [
      ...Array.from({ length: 5 }, () => session(rx.id)),
      { ...session(rx.id), id: dose.id! },
    ];
    expect(check(dose, { sessions: five })).toEqual([]);
  });

  it('refuses esketamine at home', () => {
    const dose = homeDose({ medication: 'esketamine-nasal', route: 'intranasal', doseMg: 56 });
    expect(check(dose)).toContain('stop:esketamine.at-home');
  });

  it('still needs consent and eligibility', () => {
    expect(check(homeDose(), { consentCurrent: false, eligibility: [] })).toEqual([
      'stop:eligibility.not-current',
      'stop:consent.not-current',
    ]);
  });
});
