/**
 * Consent packets: the named set of forms for a program, and, for a day's schedule, which forms
 * each patient still has to sign before their visit (the practice manager's batch print).
 *
 * Which forms a program requires comes from the templates (`programs`, versioned and edited by the
 * practice manager); a packet definition adds the packet's name, the order forms print in, and
 * optional forms (recording consent) that are offered but never block care.
 */
import { z } from 'zod';
import type { AppointmentBody } from '../model/appointment';
import { patientDisplayName, type Patient } from '../model/patient';
import {
  consentStatus,
  latestTemplates,
  type ConsentLike,
  type FormConsentState,
  type TemplateLike,
} from './consent';

export const ConsentPacketDefinition = z.object({
  program: z.string().regex(/^[a-z0-9-]{2,60}$/, 'Program key: lowercase letters, digits, dashes'),
  name: z.string().trim().min(1, 'Packet name is required').max(120),
  templateKeys: z.array(z.string()).min(1, 'A packet needs at least one form'),
  optionalTemplateKeys: z.array(z.string()).default([]),
});
export type ConsentPacketDefinition = z.infer<typeof ConsentPacketDefinition>;

export type FormNeedReason = 'missing' | 'revoked' | 'expired' | 'expires-before-visit';

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
  packets?: readonly ConsentPacketDefinition[];
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
      ...needsForVisits(visits, consents, input.templates, input.now),
    };
  });
  for (const row of rows) {
    const programs = row.visits.flatMap((v) => (v.program ? [v.program] : []));
    row.forms = inPacketOrder(row.forms, input.packets ?? [], programs);
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
  now: Date | string,
) {
  const forms = new Map<string, FormNeed<T>>();
  const renewSoon = new Map<string, { template: T; expiresAt: string }>();
  const unconfigured = new Set<string>();
  for (const visit of visits) {
    const program = visit.program;
    if (!program) continue;
    const atVisit = consentStatus({ consents, templates, program, at: visit.start });
    if (atVisit.unconfigured) unconfigured.add(program);
    const nowForms = consentStatus({ consents, templates, program, at: now }).forms;
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
          : form.state === 'missing'
            ? form.revokedAt
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
  if (atVisit.state === 'missing') return atVisit.revokedAt ? 'revoked' : 'missing';
  if (atVisit.state !== 'expired') return undefined;
  const now = nowForms.find((f) => f.template.templateKey === atVisit.template.templateKey);
  return now?.state === 'expired' ? 'expired' : 'expires-before-visit';
}

/** Forms in the order the packets of the patient's visits list them, first visit's packet first. */
function inPacketOrder<F extends FormNeed>(
  forms: F[],
  packets: readonly ConsentPacketDefinition[],
  programs: string[],
): F[] {
  const order = programs
    .flatMap((program) => packets.filter((p) => p.program === program))
    .flatMap((p) => [...p.templateKeys, ...p.optionalTemplateKeys]);
  const rank = (f: F) => {
    const i = order.indexOf(f.template.templateKey);
    return i === -1 ? order.length : i;
  };
  return forms
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map(({ f }) => f);
}

/** The packet for a program, if one is defined. */
export function packetForProgram(
  packets: readonly ConsentPacketDefinition[],
  program: string,
): ConsentPacketDefinition | undefined {
  return packets.find((p) => p.program === program);
}

/**
 * The templates to print for a packet, newest versions, in packet order; required forms first,
 * then optional ones. A key with no live (newest, not retired) template is reported, not dropped.
 */
export function packetTemplates<T extends TemplateLike>(
  packet: ConsentPacketDefinition,
  templates: readonly T[],
): { required: T[]; optional: T[]; unknownKeys: string[] } {
  const newest = (key: string) =>
    latestTemplates(templates).find((t) => t.templateKey === key && !t.retired);
  const unknownKeys: string[] = [];
  const pick = (keys: string[]) =>
    keys.flatMap((k) => {
      const t = newest(k);
      if (!t) unknownKeys.push(k);
      return t ? [t] : [];
    });
  return {
    required: pick(packet.templateKeys),
    optional: pick(packet.optionalTemplateKeys),
    unknownKeys,
  };
}
