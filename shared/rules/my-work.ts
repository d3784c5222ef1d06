/**
 * "My work today": what each of a clinician's visits today still needs, and which of their drafts
 * wait to be signed. Documentation is completed promptly and signed (PRODUCT.md; the clinic sets
 * how many days make a draft overdue, clinicSettings.unsignedNoteAlertDays).
 */
import type { RecordKind, RecordStatus } from '../model/common';
import type { ConsentState } from './consent';

export type VisitNeed =
  | { need: 'note'; state: 'to-write' | 'draft'; noteId?: string }
  | { need: 'measure'; instrument: string; shortName: string }
  | { need: 'consent'; program: string; state: ConsentState }
  | { need: 'dose'; doseId: string };

type Doc = { id: string; status: RecordStatus; createdBy: string };

/** Consent states that do not allow a dose today (shared/rules/consent isConsentCurrent). */
const CONSENT_OK: ReadonlySet<ConsentState> = new Set(['current', 'expiring']);

/**
 * What a booked visit still needs before the day is done: a note by this clinician (to write, or
 * a draft to sign), measures due before it, a current consent for its program, a dose to sign.
 */
export function visitNeeds(input: {
  me: string;
  cancelled: boolean;
  notes: readonly Doc[];
  doses: readonly Doc[];
  measuresDue: readonly { instrument: string; shortName: string }[];
  consent?: { program: string; state: ConsentState } | undefined;
  signsDoses: boolean;
}): VisitNeed[] {
  if (input.cancelled) return [];
  const needs: VisitNeed[] = [];
  const live = input.notes.filter((n) => n.status !== 'entered-in-error');
  const mine = live.filter((n) => n.createdBy === input.me);
  const draft = mine.find((n) => n.status === 'draft');
  if (draft) needs.push({ need: 'note', state: 'draft', noteId: draft.id });
  else if (!mine.some((n) => n.status === 'signed'))
    needs.push({ need: 'note', state: 'to-write' });
  for (const m of input.measuresDue)
    needs.push({ need: 'measure', instrument: m.instrument, shortName: m.shortName });
  if (input.consent && !CONSENT_OK.has(input.consent.state))
    needs.push({ need: 'consent', program: input.consent.program, state: input.consent.state });
  if (input.signsDoses)
    for (const d of input.doses)
      if (d.status === 'draft' && d.createdBy === input.me)
        needs.push({ need: 'dose', doseId: d.id });
  return needs;
}

export type DraftToSign = {
  kind: RecordKind;
  id: string;
  patientId: string;
  createdAt: string;
  /** Days since it was started, whole days. */
  ageDays: number;
  overdue: boolean;
};

const DAY_MS = 86_400_000;

/** Every draft of mine, whatever its age, oldest first; those past the clinic's limit flagged. */
export function draftsToSign(
  drafts: readonly (Doc & { kind: RecordKind; patientId: string; createdAt: string })[],
  me: string,
  now: Date,
  overdueAfterDays: number,
): DraftToSign[] {
  return drafts
    .filter((d) => d.status === 'draft' && d.createdBy === me)
    .map((d) => {
      const ageDays = Math.floor((now.getTime() - Date.parse(d.createdAt)) / DAY_MS);
      return {
        kind: d.kind,
        id: d.id,
        patientId: d.patientId,
        createdAt: d.createdAt,
        ageDays,
        overdue: ageDays >= overdueAfterDays,
      };
    })
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export type MeasureToReview = {
  id: string;
  patientId: string;
  instrument: string;
  administeredAt: string;
  /** Whole days since the patient answered. */
  ageDays: number;
};

/**
 * Questionnaires a patient answered in patient mode that no clinician has reviewed yet (issue 17:
 * "completed measures, marked completed by the patient, reviewed by the clinician who co-signs"),
 * oldest first. A PHQ-9 or C-SSRS answered at the front desk must not wait unseen: its risk items
 * are read by a clinician (PRODUCT.md: item 9 above 0 must raise a visible alert).
 */
export function measuresToReview(
  measures: readonly {
    id: string;
    patientId: string;
    instrument: string;
    administeredAt: string;
    status: RecordStatus;
    completedBy?: 'staff' | 'patient' | undefined;
  }[],
  now: Date,
): MeasureToReview[] {
  return measures
    .filter((m) => m.completedBy === 'patient' && m.status === 'draft')
    .map((m) => ({
      id: m.id,
      patientId: m.patientId,
      instrument: m.instrument,
      administeredAt: m.administeredAt,
      ageDays: Math.max(0, Math.floor((now.getTime() - Date.parse(m.administeredAt)) / DAY_MS)),
    }))
    .sort((a, b) => a.administeredAt.localeCompare(b.administeredAt));
}

export type ConsentReminder = {
  patientId: string;
  templateKey: string;
  title: string;
  /** Program names (packets) that require the form, as the chart shows them. */
  programs: string[];
  expiresAt: string;
  /** Whole days left, 0 on its last day. */
  daysLeft: number;
};

/**
 * Forms of one patient that expire within the next 30 days (consent.ts EXPIRING_WINDOW_DAYS;
 * issue 17: "reminders 30 days before expiry on My work"), soonest first, each form once even
 * when several programs require it. `statuses` are the patient's consentStatus per program.
 */
export function consentReminders(
  patientId: string,
  statuses: readonly {
    program: string;
    forms: readonly {
      state: string;
      template: { templateKey: string; title: string };
      expiresAt?: string;
    }[];
  }[],
  programName: (program: string) => string,
  now: Date,
): ConsentReminder[] {
  const byForm = new Map<string, ConsentReminder>();
  for (const s of statuses)
    for (const f of s.forms) {
      if (f.state !== 'expiring' || !f.expiresAt) continue;
      const seen = byForm.get(f.template.templateKey);
      if (seen) {
        if (!seen.programs.includes(programName(s.program)))
          seen.programs.push(programName(s.program));
        continue;
      }
      byForm.set(f.template.templateKey, {
        patientId,
        templateKey: f.template.templateKey,
        title: f.template.title,
        programs: [programName(s.program)],
        expiresAt: f.expiresAt,
        daysLeft: Math.max(0, Math.floor((Date.parse(f.expiresAt) - now.getTime()) / DAY_MS)),
      });
    }
  return [...byForm.values()].sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
}
