/**
 * One line of consent status per patient for the patient list: the programs the patient is in
 * (signed for, or booked for an upcoming visit) and the worst status among them. A patient in no
 * program shows nothing rather than a misleading "missing".
 */
import type { Appointment, SignedConsent } from '../../../shared/model';
import {
  CONSENT_STATES,
  consentStatus,
  type ConsentState,
  type TemplateLike,
} from '../../../shared/rules/consent';
import type { PacketLike } from '../../../shared/rules/consent-packets';

export type ConsentSummary = {
  status: ConsentState;
  /** Program → its status, for the tooltip and screen readers. */
  programs: { program: string; status: ConsentState; name?: string }[];
};

export function consentSummaries(input: {
  consents: readonly SignedConsent[];
  appointments: readonly Appointment[];
  templates: readonly TemplateLike[];
  packets: readonly PacketLike[];
  at: Date;
}): Map<string, ConsentSummary> {
  const programsOf = new Map<string, Set<string>>();
  const add = (patientId: string, program?: string) => {
    if (!program) return;
    const set = programsOf.get(patientId) ?? new Set();
    set.add(program);
    programsOf.set(patientId, set);
  };
  for (const c of input.consents) if (c.status !== 'entered-in-error') add(c.patientId, c.program);
  for (const a of input.appointments)
    if (!a.cancelled && Date.parse(a.start) >= input.at.getTime()) add(a.patientId, a.program);

  const byPatient = new Map<string, SignedConsent[]>();
  for (const c of input.consents)
    byPatient.set(c.patientId, [...(byPatient.get(c.patientId) ?? []), c]);

  const out = new Map<string, ConsentSummary>();
  for (const [patientId, programs] of programsOf) {
    const consents = byPatient.get(patientId) ?? [];
    const rows = [...programs].sort().map((program) => ({
      program,
      status: consentStatus({ ...input, consents, program }).status,
    }));
    const worst = [...CONSENT_STATES].reverse().find((s) => rows.some((r) => r.status === s))!;
    out.set(patientId, { status: worst, programs: rows });
  }
  return out;
}
