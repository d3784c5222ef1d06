/**
 * For a day's schedule, which forms each patient still has to sign before their visit (the
 * practice manager's batch print). Which forms a program requires, and their order, come from the
 * clinic's packets (shared/rules/consent-packets.ts), the one place requirements are kept.
 */
import { z } from 'zod';
import type { AppointmentBody } from '../model/appointment';
import { patientDisplayName, type Patient } from '../model/patient';
import {
  consentStatus,
  type ConsentLike,
  type FormConsentState,
  type TemplateLike,
} from './consent';
import { packetFor, type PacketLike } from './consent-packets';

/** The shipped packet list's shape (resources/consent-templates/packets.json). */
export const ConsentPacketDefinition = z.object({
  program: z.string().regex(/^[a-z0-9-]{2,60}$/, 'Program key: lowercase letters, digits, dashes'),
  name: z.string().trim().min(1, 'Packet name is required').max(120),
  templateKeys: z.array(z.string()).min(1, 'A packet needs at least one form'),
  optionalTemplateKeys: z.array(z.string()).default([]),
});
export type ConsentPacketDefinition = z.infer<typeof ConsentPacketDefinition>;

export type FormNeedReason =
  'missing' | 'revoked' | 'expired' | 'expires-before-visit' | 'reconsent';

export type FormNeed<T extends TemplateLike = TemplateLike> = {
  /** The newest version: what the patient will be asked to sign. */
  template: T;
  reason: FormNeedReason;
  /** When it expired or was revoked, if it ever was signed. */
  since?: string;
  /** The programs on this day that need it. */
  programs: string[];
};

export type ScheduledVisit = Pick<AppointmentBody, 'start' | 'program' | 'visitKind'> & {
  id: string;
};

export type PacketPatient = Pick<
  Patient,
  'id' | 'firstName' | 'lastName' | 'preferredName' | 'dateOfBirth' | 'chartNumber'
>;

export type PatientFormNeeds<T extends TemplateLike = TemplateLike> = {
  patientId: string;
  /** Undefined when the patient record is not on this device yet (not synced). */
  patient?: PacketPatient;
  displayName: string;
  visits: ScheduledVisit[];
  /** Forms to sign before the first visit, in packet order. Empty: everything is current. */
  forms: FormNeed<T>[];
  /** Current at the visit but inside the 30-day renewal window: worth renewing while here. */
  renewSoon: { template: T; expiresAt: string }[];
  /** Programs on the schedule that no form names: a setup problem to show, never "all current". */
  unconfiguredPrograms: string[];
};

type AppointmentLike = Pick<
  AppointmentBody,
  'patientId' | 'start' | 'program' | 'visitKind' | 'cancelled'
> & { id: string };

/**
 * For a day's appointments (the caller picks the day in the clinic's time zone), each scheduled
 * patient with the forms they still need: missing, revoked, expired now, or expiring before the
 * visit. Checked at each visit's start time. Sorted by first visit, then name.
 */
export function formsNeededForDay<T extends TemplateLike>(input: {
  appointments: readonly AppointmentLike[];
  patients: readonly PacketPatient[];
  templates: readonly T[];
  /** Signed consents of these patients (others are ignored). */
  consents: readonly (ConsentLike & { patientId: string })[];
  /** The clinic's packets (effectivePackets): requirements and order. */
  packets: readonly PacketLike[];
  now: Date | string;
}): PatientFormNeeds<T>[] {
  const byPatient = new Map<string, AppointmentLike[]>();
  for (const a of input.appointments) {
    if (a.cancelled) continue;
    byPatient.set(a.patientId, [...(byPatient.get(a.patientId) ?? []), a]);
  }
  const rows = [...byPatient].map(([patientId, appts]) => {
    const visits = appts
      .map((a) => ({ id: a.id, start: a.start, program: a.program, visitKind: a.visitKind }))
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    const patient = input.patients.find((p) => p.id === patientId);
    const consents = input.consents.filter((c) => c.patientId === patientId);
    return {
      patientId,
      patient,
      displayName: patient ? patientDisplayName(patient) : 'Patient not yet on this device',
      visits,
      ...needsForVisits(visits, consents, input.templates, input.packets, input.now),
    };
  });
  for (const row of rows) {
    const programs = row.visits.flatMap((v) => (v.program ? [v.program] : []));
    row.forms = inPacketOrder(row.forms, input.packets, programs);
  }
  return rows.sort(
    (a, b) =>
      Date.parse(a.visits[0]!.start) - Date.parse(b.visits[0]!.start) ||
      a.displayName.localeCompare(b.displayName),
  );
}

function needsForVisits<T extends TemplateLike>(
  visits: ScheduledVisit[],
  consents: readonly ConsentLike[],
  templates: readonly T[],
  packets: readonly PacketLike[],
  now: Date | string,
) {
  const forms = new Map<string, FormNeed<T>>();
  const renewSoon = new Map<string, { template: T; expiresAt: string }>();
  const unconfigured = new Set<string>();
  for (const visit of visits) {
    const program = visit.program;
    if (!program) continue;
    const atVisit = consentStatus({ consents, templates, packets, program, at: visit.start });
    if (atVisit.unconfigured) unconfigured.add(program);
    const nowForms = consentStatus({ consents, templates, packets, program, at: now }).forms;
    for (const form of atVisit.forms) {
      const template = form.template as T;
      const key = template.templateKey;
      if (form.state === 'expiring') renewSoon.set(key, { template, expiresAt: form.expiresAt! });
      const reason = needReason(form, nowForms);
      if (!reason) continue;
      const seen = forms.get(key);
      if (seen) {
        if (!seen.programs.includes(program)) seen.programs.push(program);
        continue;
      }
      const since =
        form.state === 'expired'
          ? form.expiresAt
          : form.state === 'withdrawn'
            ? form.withdrawnAt
            : undefined;
      forms.set(key, { template, reason, since, programs: [program] });
    }
  }
  for (const key of forms.keys()) renewSoon.delete(key);
  return {
    forms: [...forms.values()],
    renewSoon: [...renewSoon.values()],
    unconfiguredPrograms: [...unconfigured],
  };
}

function needReason(
  atVisit: FormConsentState,
  nowForms: FormConsentState[],
): FormNeedReason | undefined {
  if (atVisit.state === 'missing') return 'missing';
  if (atVisit.state === 'withdrawn') return 'revoked';
  if (atVisit.state === 'reconsent') return 'reconsent';
  if (atVisit.state !== 'expired') return undefined;
  const now = nowForms.find((f) => f.template.templateKey === atVisit.template.templateKey);
  return now?.state === 'expired' ? 'expired' : 'expires-before-visit';
}

/** Forms in the order the packets of the patient's visits list them, first visit's packet first. */
function inPacketOrder<F extends FormNeed>(
  forms: F[],
  packets: readonly PacketLike[],
  programs: string[],
): F[] {
  const order = programs.flatMap((program) =>
    (packetFor(packets, program)?.forms ?? []).map((f) => f.templateKey),
  );
  const rank = (f: F) => {
    const i = order.indexOf(f.template.templateKey);
    return i === -1 ? order.length : i;
  };
  return forms
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map(({ f }) => f);
}
