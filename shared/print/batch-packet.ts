/**
 * "Print packets for <date>": one PDF with a cover list of who needs what, then a blank packet for
 * each scheduled patient who still has forms to sign, each numbered "Page X of Y" within that
 * patient so the pages can be split and handed out.
 */
import { VISIT_LABELS } from '../model/appointment';
import type { TemplateLike } from '../rules/consent';
import { programName, type PacketLike } from '../rules/consent-packets';
import type { FormNeedReason, PatientFormNeeds } from '../rules/packets';
import { patientIdentity } from './consent-form';
import { blankHeader, drawBlankPacket, type TemplateToPrint } from './consent-packet';
import { formatCalendarDate, formatDay, formatInstant, formatTime } from './format';
import { createPrintDocument } from './document';
import type { PdfFontBytes } from './fonts';
import { MUTED, PageFlow, type Letterhead } from './layout';
import { drawTable } from './tables';

const REASONS: Record<FormNeedReason, string> = {
  missing: 'not signed',
  revoked: 'withdrawn',
  reconsent: 're-consent needed',
  expired: 'expired',
  'expires-before-visit': 'expires before visit',
};

export async function buildBatchPacketPdf(input: {
  clinic: Letterhead;
  /** The schedule's calendar day, "2026-03-05". */
  day: string;
  /** From formsNeededForDay, with full templates (text and signers) to print. */
  needs: PatientFormNeeds<TemplateToPrint & TemplateLike>[];
  packets?: readonly PacketLike[];
  fonts: PdfFontBytes;
  generatedAt: Date | string;
  timeZone?: string;
}): Promise<Uint8Array> {
  const tz = input.timeZone ?? 'UTC';
  const dayLabel = formatCalendarDate(input.day);
  const { doc, fonts } = await createPrintDocument({
    title: `Consent packets for ${dayLabel}`,
    fonts: input.fonts,
    generatedAt: input.generatedAt,
  });
  const packetName = (p?: string) => programName(input.packets ?? [], p);

  const cover = new PageFlow(doc, fonts, {
    letterhead: input.clinic,
    identity: ['Consent packets', `Schedule for ${dayLabel}`],
    footer: `Batch consent packets  ·  printed ${formatInstant(input.generatedAt, tz)}`,
  });
  cover.newPage();
  cover.heading(`Who needs what on ${dayLabel}`, 15);
  const printed = input.needs.filter((n) => n.forms.length > 0 && n.patient);
  cover.paragraph(
    `${input.needs.length} scheduled ${input.needs.length === 1 ? 'patient' : 'patients'}; ` +
      `${printed.length} with forms to sign (their packets follow this list, in this order).`,
    { size: 9, color: MUTED, after: 10 },
  );
  drawTable(
    cover,
    [
      { header: 'Time', width: 0.11 },
      { header: 'Patient', width: 0.27, bold: true },
      { header: 'Visit', width: 0.24 },
      { header: 'Forms to sign', width: 0.38 },
    ],
    input.needs.map((n) => [
      n.visits.map((v) => formatTime(v.start, tz)).join('\n'),
      n.patient ? patientIdentity(n.patient).join('\n') : n.displayName,
      n.visits.map((v) => `${VISIT_LABELS[v.visitKind]}, ${packetName(v.program)}`).join('\n'),
      coverForms(n, tz, input.packets ?? []),
    ]),
  );
  cover.finish();

  for (const n of printed) {
    const header = blankHeader({
      clinic: input.clinic,
      patient: n.patient!,
      generatedAt: input.generatedAt,
      timeZone: tz,
      packetName: `Visit ${formatTime(n.visits[0]!.start, tz)}, ${dayLabel}`,
    });
    const flow = new PageFlow(doc, fonts, header);
    drawBlankPacket(flow, {
      clinic: input.clinic,
      patient: n.patient!,
      templates: n.forms.map((f) => f.template),
    });
  }
  return doc.save();
}

function formatReason(f: PatientFormNeeds['forms'][number], tz: string): string {
  const since = f.since && f.reason !== 'missing' ? ` ${formatDay(f.since, tz)}` : '';
  return `${f.template.title} (${REASONS[f.reason]}${since})`;
}

function coverForms(n: PatientFormNeeds, tz: string, packets: readonly PacketLike[]): string {
  const lines = n.forms.map((f) => `• ${formatReason(f, tz)}`);
  if (!n.patient && n.forms.length > 0)
    lines.unshift('Patient record not on this device: sync, then print again.');
  for (const p of n.unconfiguredPrograms)
    lines.push(`No forms are set up for ${programName(packets, p)}: ask the practice manager.`);
  if (lines.length === 0) lines.push('All forms current');
  for (const r of n.renewSoon)
    lines.push(`Renew soon: ${r.template.title}, expires ${formatDay(r.expiresAt, tz)}`);
  return lines.join('\n');
}
