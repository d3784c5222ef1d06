/**
 * Who may do what, per role and record kind. Enforced by the repositories (the UI only mirrors it).
 * Minimum necessary (45 CFR 164.502(b)): practice managers see demographics, schedules and
 * consents, not session notes; only prescribers record doses and keep the controlled-substance log
 * (21 CFR 1301.11: the DEA registrant and those acting under them); only administrators manage users.
 * A treatment plan is the treating team's: in a KAP course the prescriber sets the medical course
 * and the therapist the preparation, integration and goals, and either revises it as the course
 * goes, so both write and sign it. It orders nothing by itself (each dose is still a prescriber's
 * record, checked for eligibility and consent); the front office does not read its clinical goals.
 */
import type { RecordKind } from '../model/common';
import { ROLE_LABELS, type Role } from '../model/user';
import { RuleError } from './errors';
import { kindWords } from './lifecycle';

export const ACTIONS = ['read', 'write', 'sign'] as const;
export type Action = (typeof ACTIONS)[number];

type Grant = Partial<Record<Action, readonly Role[]>>;
const T = 'therapist',
  P = 'prescriber',
  M = 'practice-manager',
  A = 'administrator';
const EVERYONE = [T, P, M, A] as const;
const CLINICIANS = [T, P] as const;

const TABLE: Record<RecordKind, Grant> = {
  patient: { read: EVERYONE, write: EVERYONE },
  user: { read: EVERYONE, write: [A] },
  appointment: { read: EVERYONE, write: EVERYONE },
  encounter: { read: EVERYONE, write: CLINICIANS },
  note: { read: CLINICIANS, write: CLINICIANS, sign: CLINICIANS },
  addendum: { read: CLINICIANS, write: CLINICIANS, sign: CLINICIANS },
  'co-signature': { read: CLINICIANS, write: CLINICIANS, sign: CLINICIANS },
  'integration-summary': { read: CLINICIANS, write: CLINICIANS, sign: CLINICIANS },
  measure: { read: CLINICIANS, write: CLINICIANS, sign: CLINICIANS },
  dose: { read: CLINICIANS, write: [P], sign: [P] },
  eligibility: { read: CLINICIANS, write: [P], sign: [P] },
  'home-prescription': { read: CLINICIANS, write: [P], sign: [P] },
  'treatment-plan': { read: CLINICIANS, write: CLINICIANS, sign: CLINICIANS },
  'inventory-lot': { read: [P, A], write: [P] },
  'inventory-transaction': { read: [P, A], write: [P], sign: [P] },
  'consent-template': { read: EVERYONE, write: [M, A] },
  'signed-consent': { read: EVERYONE, write: [T, P, M], sign: [T, P, M] },
  'consent-packet': { read: EVERYONE, write: [M, A] },
  'note-template': { read: EVERYONE, write: [T, P, A] },
  'clinic-settings': { read: EVERYONE, write: [A] },
};

/**
 * Handing questionnaires to the patient in patient mode (issue 17). The front office may do it:
 * giving the patient a PHQ-9 to answer is not reading the answers. What the patient gives is
 * stored as a draft measure marked completed by the patient, for a clinician to review; the
 * practice manager who collected it still cannot open it (the TABLE's read grant), and learns
 * only that a safety alert is open, never the answers or score (RecordStore.safetyFlags).
 */
const COLLECTS_QUESTIONNAIRES: readonly Role[] = [T, P, M];
export const collectsQuestionnaires = (roles: readonly Role[]) =>
  roles.some((r) => COLLECTS_QUESTIONNAIRES.includes(r));

export function can(roles: readonly Role[], action: Action, kind: RecordKind): boolean {
  const allowed = TABLE[kind][action] ?? [];
  return roles.some((r) => allowed.includes(r));
}

const ACTION_WORDS: Record<Action, string> = {
  read: 'viewing',
  write: 'recording or editing',
  sign: 'signing',
};

export function assertCan(roles: readonly Role[], action: Action, kind: RecordKind): void {
  if (can(roles, action, kind)) return;
  const who = roles.map((r) => ROLE_LABELS[r]).join(', ') || 'No role';
  throw new RuleError(
    'permission.denied',
    `Your role (${who}) does not allow ${ACTION_WORDS[action]} ${plural(kindWords(kind))}.`,
  );
}

const plural = (w: string) => (w.endsWith('y') ? `${w.slice(0, -1)}ies` : `${w}s`);
