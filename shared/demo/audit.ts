/**
 * The audit trail a clinic like the demo one accumulates: each clinician signing a document
 * (notes, integration summaries, doses, eligibility evaluations, consents), the front desk
 * creating patients and appointments, the prescriber opening the chart before each dosing
 * session, a consent packet printed per patient, and every staff
 * member signing in on each clinic day. Used by the benchmarks' clinic (issue 8: 100,000 audit
 * events at 2,000 patients); the in-app demo does not write these, because appending tens of
 * thousands of chained events would make creating the demo slow for nothing a user looks at.
 * Events carry no chain hashes: the chain is a device's own (renderer/db/audit-chain.ts).
 */
import type { AnyRecord } from '../model';
import type { AuditEvent } from '../model/audit';
import type { DemoStaff } from './generate';
import { seededRng, seededUuidv7 } from './random';

const SIGNED_DOCUMENTS = new Set<string>([
  'note',
  'integration-summary',
  'dose',
  'eligibility',
  'signed-consent',
]);
const DAY = 86_400_000;

export function demoAuditTrail(
  records: readonly AnyRecord[],
  o: { clinicId: string; deviceId: string; staff: DemoStaff; seed?: number },
): AuditEvent[] {
  const rng = seededRng((o.seed ?? 20261121) ^ 0xa0d17);
  const out: AuditEvent[] = [];
  const event = (
    atMs: number,
    userId: string,
    action: AuditEvent['action'],
    r?: AnyRecord,
    detail?: string,
  ) =>
    out.push({
      id: seededUuidv7(rng, atMs),
      clinicId: o.clinicId,
      at: new Date(atMs).toISOString(),
      userId,
      deviceId: o.deviceId,
      action,
      ...(r ? { recordKind: r.kind, recordId: r.id } : {}),
      ...(r && 'patientId' in r ? { patientId: r.patientId as string } : {}),
      ...(r?.kind === 'patient' ? { patientId: r.id } : {}),
      ...(detail ? { detail } : {}),
    });
  const clinicDays = new Set<number>();
  for (const r of records) {
    const created = Date.parse(r.createdAt);
    if (r.signature && SIGNED_DOCUMENTS.has(r.kind))
      event(Date.parse(r.signature.at), r.signature.by, 'sign', r);
    else if (r.kind === 'patient' || r.kind === 'appointment')
      event(created, r.createdBy, 'create', r);
    if (r.kind === 'patient')
      event(created + 2 * 3_600_000, o.staff.manager.id, 'print', r, 'Consent packet');
    if (r.kind === 'encounter') {
      clinicDays.add(Math.floor(created / DAY));
      // The prescriber opens the chart (consents, last vitals) before every dosing session.
      if (r.visitKind === 'dosing' || r.visitKind === 'maintenance')
        event(created - 20 * 60_000, r.clinicianId, 'view', r);
    }
  }
  for (const day of [...clinicDays].sort((a, b) => a - b))
    for (const [i, who] of [o.staff.manager, o.staff.prescriber, o.staff.therapist].entries())
      event(day * DAY + (13 * 60 + 10 * i) * 60_000, who.id, 'sign-in');
  return out.sort((a, b) => a.at.localeCompare(b.at));
}
