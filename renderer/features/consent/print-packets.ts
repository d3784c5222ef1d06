/**
 * Consent printouts: build the PDF (shared/print), hand it to the platform (OS print dialog on the
 * desktop, a new tab or download in the browser) and audit it. Every print and export is an audit
 * event (HIPAA 45 CFR 164.312(b)); the audit detail is encrypted like the record. The PDF builders
 * (pdf-lib, fontkit: ~0.9 MB) load on the first print, not with the app (issue 20).
 */
import type {
  ClinicSettingsBody,
  ConsentTemplate,
  Patient,
  SignedConsent,
} from '../../../shared/model';
import type { Letterhead } from '../../../shared/print/layout';
import type { PacketLike } from '../../../shared/rules/consent-packets';
import { type Disclosure, disclosureDetail } from '../../../shared/rules/disclosures';
import type { DayNeeds } from '../../db/appointments-repository';
import type { RecordStore } from '../../db/record-store';
import { platform } from '../../platform';
import { loadPdfFonts } from './pdf-fonts';

export type PdfOutput = 'print' | 'save';

const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export const letterhead = (
  s: Pick<ClinicSettingsBody, 'clinicName' | 'address' | 'phone'>,
): Letterhead => ({
  clinicName: s.clinicName,
  clinicAddress: s.address || undefined,
  clinicPhone: s.phone || undefined,
});

/** Hand the bytes to the platform, then audit. Returns a sentence for the person, or throws. */
export async function deliverPdf(
  store: RecordStore,
  input: {
    bytes: Uint8Array;
    title: string;
    fileName: string;
    output: PdfOutput;
    patientId?: string;
    detail: string;
    /** Who it is for and why, when it names a patient (HIPAA 164.528; see shared/rules/disclosures). */
    disclosure?: Disclosure;
  },
): Promise<string> {
  const result =
    input.output === 'print'
      ? await platform.printPdf({ bytes: input.bytes, title: input.title })
      : await platform.savePdf({ bytes: input.bytes, suggestedName: input.fileName });
  if (!result.ok) throw new Error(result.error.message);
  const outcome = (result.value as { outcome: string }).outcome;
  if (outcome === 'cancelled') return 'Cancelled: nothing was printed or saved.';
  await store.audit(input.output === 'print' ? 'print' : 'export', {
    patientId: input.patientId,
    detail: input.disclosure ? disclosureDetail(input.detail, input.disclosure) : input.detail,
  });
  return outcome === 'printed'
    ? 'Sent to the printer.'
    : outcome === 'opened'
      ? 'The PDF opened in a new tab: print it from there.'
      : 'The PDF was saved.';
}

/** The patient's signed forms, exactly as stored, with the signing record page. */
export async function signedPacketPdf(input: {
  settings: ClinicSettingsBody;
  patient: Patient;
  consents: SignedConsent[];
  packetName?: string;
  packets?: readonly PacketLike[];
}): Promise<Uint8Array> {
  const consents = [...input.consents].sort((a, b) => a.signedAt.localeCompare(b.signedAt));
  const { buildConsentPacketPdf } = await import('../../../shared/print/consent-packet');
  return buildConsentPacketPdf({
    clinic: letterhead(input.settings),
    patient: input.patient,
    fonts: await loadPdfFonts(),
    generatedAt: new Date(),
    timeZone: timeZone(),
    packetName: input.packetName,
    programNames: Object.fromEntries((input.packets ?? []).map((p) => [p.program, p.name])),
    consents,
  });
}

/** The newest versions of a packet's forms, filled in for this patient, for wet signature. */
export async function blankPacketPdf(input: {
  settings: ClinicSettingsBody;
  patient: Patient;
  templates: ConsentTemplate[];
  packetName?: string;
}): Promise<Uint8Array> {
  const { buildBlankPacketPdf } = await import('../../../shared/print/consent-packet');
  return buildBlankPacketPdf({
    clinic: letterhead(input.settings),
    patient: input.patient,
    fonts: await loadPdfFonts(),
    generatedAt: new Date(),
    timeZone: timeZone(),
    packetName: input.packetName,
    templates: input.templates,
  });
}

/** One PDF for a day: the "who needs what" list, then each patient's blank packet. */
export async function batchPacketPdf(input: {
  settings: ClinicSettingsBody;
  day: string;
  needs: DayNeeds;
  /** For program names on the cover list. */
  packets: readonly PacketLike[];
}): Promise<Uint8Array> {
  const { buildBatchPacketPdf } = await import('../../../shared/print/batch-packet');
  return buildBatchPacketPdf({
    clinic: letterhead(input.settings),
    day: input.day,
    needs: input.needs,
    packets: input.packets,
    fonts: await loadPdfFonts(),
    generatedAt: new Date(),
    timeZone: timeZone(),
  });
}

/** "okafor-maya-consent-2026-11-21.pdf": no spaces or accents to trip a file system. */
export function pdfFileName(...parts: string[]): string {
  return parts
    .join('-')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .concat('.pdf');
}
