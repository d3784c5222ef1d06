/**
 * At-home programs: troches or tablets taken at home with a named treatment monitor present,
 * checked in over video (PRODUCT.md). A prescription allows a number of sessions; refills are
 * their own prescription records (refillOf) up to refillsAllowed. Esketamine is never at home
 * (Spravato REMS: certified healthcare settings only).
 */
import type { DoseRecord, Medication } from '../model/dose';
import type { HomePrescription } from '../model/eligibility';
import { RuleError } from './errors';
import type { SafetyFinding } from './dosing/findings';
import { evaluateDoseSafety, type DoseSafetyInput } from './dosing/safety-checks';

const PROGRAM = 'At-home program protocol (PRODUCT.md): prescription limits the sessions';

/** For the repository, before an at-home prescription or dose is written. */
export function refuseEsketamineAtHome(medication: Medication): void {
  if (medication === 'esketamine-nasal')
    throw new RuleError(
      'home.esketamine',
      'Esketamine is in-office only (Spravato REMS) — at-home programs use ketamine troches or tablets',
    );
}

type Session = Pick<DoseRecord, 'id' | 'status' | 'homePrescriptionId'>;

/** Refills that were issued: signed, pointing at this original, not in error. */
export function issuedRefills(
  original: HomePrescription,
  prescriptions: readonly HomePrescription[],
): HomePrescription[] {
  return prescriptions.filter((p) => p.refillOf === original.id && p.status === 'signed');
}

export type HomeProgramStatus = {
  sessionsAllowed: number;
  sessionsUsed: number;
  sessionsLeft: number;
  refillsAllowed: number;
  refillsUsed: number;
  refillsLeft: number;
};

/**
 * Sessions used and left across the original and its refills. A session counts from the moment it
 * is charted (draft or signed); only an entry marked in error gives it back.
 */
export function homeProgramStatus(
  original: HomePrescription,
  prescriptions: readonly HomePrescription[],
  sessions: readonly Session[],
): HomeProgramStatus {
  const refills = issuedRefills(original, prescriptions);
  const ids = new Set([original.id, ...refills.map((r) => r.id)]);
  const sessionsAllowed = [original, ...refills].reduce((n, p) => n + p.sessionsAllowed, 0);
  const sessionsUsed = sessions.filter(
    (s) => s.homePrescriptionId && ids.has(s.homePrescriptionId) && s.status !== 'entered-in-error',
  ).length;
  return {
    sessionsAllowed,
    sessionsUsed,
    sessionsLeft: Math.max(0, sessionsAllowed - sessionsUsed),
    refillsAllowed: original.refillsAllowed,
    refillsUsed: refills.length,
    refillsLeft: Math.max(0, original.refillsAllowed - refills.length),
  };
}

/** Throws RuleError unless another refill of `original` may be written. */
export function assertRefillAllowed(
  original: HomePrescription,
  prescriptions: readonly HomePrescription[],
): void {
  if (original.refillOf)
    throw new RuleError(
      'home.refill-of-refill',
      'Refill from the original prescription, not from a refill',
    );
  if (original.status !== 'signed')
    throw new RuleError(
      'home.refill-unsigned',
      'The prescription is not signed (or is marked in error) — it cannot be refilled',
    );
  const used = issuedRefills(original, prescriptions).length;
  if (used >= original.refillsAllowed)
    throw new RuleError(
      'home.refills-used',
      original.refillsAllowed === 0
        ? 'This prescription allows no refills — write a new prescription after reviewing the program'
        : `All ${original.refillsAllowed} refills of this prescription are used — write a new ` +
            'prescription after reviewing the program',
    );
}

export type HomeSessionInput = DoseSafetyInput & {
  dose: DoseSafetyInput['dose'] & Pick<DoseRecord, 'monitorPresent'>;
  prescription: HomePrescription;
  /** All the patient's prescriptions (to find refills) and at-home sessions so far. */
  prescriptions: readonly HomePrescription[];
  sessions: readonly Session[];
};

/**
 * Every finding for an at-home session: the dose safety checks with the at-home thresholds
 * (pre-dose BP/HR as reported, consent, eligibility; esketamine is a stop there because the
 * setting is forced to at-home), plus the monitor, the
 * prescription and the sessions left.
 */
export function checkHomeSession(input: HomeSessionInput): SafetyFinding[] {
  const { dose, prescription } = input;
  const out = evaluateDoseSafety({ ...input, dose: { ...dose, setting: 'at-home' } });
  const stop = (rule: string, message: string, source: string) =>
    out.unshift({ rule, severity: 'stop', message, source });

  if (dose.monitorPresent !== true)
    stop(
      'home.monitor-absent',
      `The treatment monitor (${prescription.monitorName}) must be present — do not dose without them`,
      'At-home program protocol (PRODUCT.md): named treatment monitor present',
    );
  if (prescription.status !== 'signed')
    stop('home.prescription-unsigned', 'The prescription for this session is not signed', PROGRAM);
  // Sessions are counted over the original and its refills, whichever of them this one is.
  const original = input.prescriptions.find((p) => p.id === prescription.refillOf) ?? prescription;
  const status = homeProgramStatus(
    original,
    input.prescriptions,
    input.sessions.filter((s) => s.id !== dose.id),
  );
  if (status.sessionsLeft === 0)
    stop(
      'home.no-sessions-left',
      `All ${status.sessionsAllowed} sessions on this prescription are used — a refill or a new ` +
        'prescription is needed',
      PROGRAM,
    );
  return out;
}
