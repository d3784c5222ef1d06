/**
 * Consent packet PDFs. Signed: each form exactly as signed (its stored rendered text, never the
 * current template), its signatures, and a final signing record page. Blank: the newest template
 * versions rendered for the patient, with lines for wet signatures. Pure: data in, bytes out.
 */
import type { ConsentTemplateBody, SignedConsentBody } from '../model/consent';
import { renderTemplate } from '../rules/consent';
import { signerWithRole } from '../rules/consent-signers';
import { drawFormText, patientFullName, patientIdentity, type PrintPatient } from './consent-form';
import { createPrintDocument } from './document';
import type { PdfFontBytes } from './fonts';
import { formatCalendarDate, formatInstant } from './format';
import { MUTED, PageFlow, type Letterhead } from './layout';
import {
  drawSignatureLines,
  drawSignatures,
  embedSignatureImage,
  ROLE_LABELS,
  type SignatureToPrint,
} from './signatures';
import { drawKeyValues, drawTable, type KeyValueRow } from './tables';

export type ConsentToPrint = Pick<
  SignedConsentBody,
  | 'templateKey'
  | 'templateVersion'
  | 'title'
  | 'renderedText'
  | 'signatures'
  | 'signedAt'
  | 'deviceId'
  | 'contentHash'
  | 'program'
  | 'expiresAt'
  | 'revokes'
  | 'fields'
> & { id?: string };

/** Something that happened while signing, beyond the signatures (e.g. "Packet reviewed with patient"). */
export type SigningRecordEntry = { at: string; who: string; action: string; deviceId?: string };

type Common = {
  clinic: Letterhead;
  patient: PrintPatient;
  fonts: PdfFontBytes;
  generatedAt: Date | string;
  /** The clinic's IANA time zone for every time printed; UTC if not given. */
  timeZone?: string;
  /** Shown under the patient's identifiers, e.g. "In-office IV ketamine". */
  packetName?: string;
  /** Program names as people read them, by program key ("in-office-iv" → "In-office IV ketamine"). */
  programNames?: Record<string, string>;
};

export async function buildConsentPacketPdf(
  input: Common & { consents: ConsentToPrint[]; signingRecord?: SigningRecordEntry[] },
): Promise<Uint8Array> {
  if (input.consents.length === 0)
    throw new Error('There are no signed forms to print for this patient yet.');
  const tz = input.timeZone ?? 'UTC';
  const { doc, fonts } = await createPrintDocument({
    title: 'Signed consent packet',
    fonts: input.fonts,
    generatedAt: input.generatedAt,
  });
  const images = await Promise.all(
    input.consents.map((c) =>
      Promise.all(
        c.signatures.map(async (s) => ({ ...s, image: await embedSignatureImage(doc, s.image) })),
      ),
    ),
  );
  const flow = new PageFlow(doc, fonts, {
    letterhead: input.clinic,
    identity: patientIdentity(input.patient, input.packetName),
    footer: `Signed consent packet  ·  printed ${formatInstant(input.generatedAt, tz)}`,
  });
  input.consents.forEach((c, i) => {
    const meta = `Version ${c.templateVersion}  ·  signed ${formatInstant(c.signedAt, tz)}`;
    drawFormText(
      flow,
      c.title,
      meta,
      c.renderedText,
      c.fields ? { mode: 'filled', fields: c.fields } : undefined,
      SIGNED_BLOCK_HEIGHT,
    );
    drawSignatureBlock(flow, images[i]!, tz);
  });
  drawSigningRecord(flow, input.consents, input.signingRecord ?? [], tz, input.programNames ?? {});
  flow.finish();
  return doc.save();
}

/** The "Signatures" heading and one row of up to three signatures. */
const SIGNED_BLOCK_HEIGHT = 130;

function drawSignatureBlock(flow: PageFlow, signatures: SignatureToPrint[], tz: string) {
  flow.ensure(SIGNED_BLOCK_HEIGHT);
  flow.gap(10);
  flow.heading('Signatures', 11.5);
  drawSignatures(flow, signatures, tz);
}

function drawSigningRecord(
  flow: PageFlow,
  consents: ConsentToPrint[],
  events: SigningRecordEntry[],
  tz: string,
  programNames: Record<string, string>,
) {
  flow.runningTitle = undefined;
  flow.newPage();
  flow.heading('Signing record', 15);
  flow.runningTitle = 'Signing record (continued)';
  flow.paragraph(
    'Each form in this packet was signed electronically in KAT Chart. The content hash is a ' +
      'fingerprint of the exact text and signatures stored: if anything in a form were changed, ' +
      'its hash would no longer match.',
    { size: 9, color: MUTED, after: 10 },
  );
  for (const c of consents) {
    flow.ensure(150);
    flow.heading(c.title, 10.5);
    const rows: KeyValueRow[] = [
      ['Form', `${c.title}, version ${c.templateVersion}`],
      ['Signed', formatInstant(c.signedAt, tz)],
      ['Signed by', c.signatures.map((s) => signerLine(s, tz)).join('\n')],
      ['Device', c.deviceId],
    ];
    if (c.program) rows.push(['Program', programNames[c.program] ?? c.program]);
    if (c.expiresAt) rows.push(['Valid until', formatInstant(c.expiresAt, tz)]);
    if (c.revokes) {
      const withdrawn = consents.find((x) => x.id === c.revokes);
      rows.push([
        'Withdraws',
        withdrawn
          ? `${withdrawn.title}, version ${withdrawn.templateVersion}, signed ${formatInstant(withdrawn.signedAt, tz)}`
          : `A consent signed earlier (record ${c.revokes})`,
      ]);
    }
    rows.push(['Content hash', c.contentHash]);
    drawKeyValues(flow, rows, { valueSize: { 'Content hash': 7.8 } });
    flow.gap(6);
  }
  if (events.length === 0) return;
  flow.heading('Events', 10.5);
  drawTable(
    flow,
    [
      { header: 'Time', width: 0.27 },
      { header: 'Who', width: 0.22 },
      { header: 'What', width: 0.33 },
      { header: 'Device', width: 0.18 },
    ],
    events.map((e) => [formatInstant(e.at, tz), e.who, e.action, e.deviceId ?? '']),
    { size: 8.5 },
  );
}

const signerLine = (s: ConsentToPrint['signatures'][number], tz: string) =>
  `${signerWithRole(s)} (${ROLE_LABELS[s.role].toLowerCase()}), ${formatInstant(s.signedAt, tz)}`;

export type TemplateToPrint = Pick<
  ConsentTemplateBody,
  'templateKey' | 'version' | 'title' | 'body' | 'signers' | 'fields'
>;

/** Forms to sign by hand: the newest versions, filled in for this patient, with signature lines. */
export async function buildBlankPacketPdf(
  input: Common & { templates: TemplateToPrint[] },
): Promise<Uint8Array> {
  const { doc, fonts } = await createPrintDocument({
    title: 'Consent packet for signature',
    fonts: input.fonts,
    generatedAt: input.generatedAt,
  });
  drawBlankPacket(new PageFlow(doc, fonts, blankHeader(input)), input);
  return doc.save();
}

export function blankHeader(input: Omit<Common, 'fonts'>) {
  return {
    letterhead: input.clinic,
    identity: patientIdentity(input.patient, input.packetName),
    footer: `Consent packet for signature  ·  printed ${formatInstant(input.generatedAt, input.timeZone ?? 'UTC')}`,
  };
}

/** Lay out one patient's blank packet on its own flow (its own "Page X of Y"). */
export function drawBlankPacket(
  flow: PageFlow,
  input: Pick<Common, 'clinic' | 'patient'> & { templates: TemplateToPrint[] },
): void {
  if (input.templates.length === 0)
    throw new Error('This packet has no forms. Add forms to the packet, then print it again.');
  const values = {
    clinicName: input.clinic.clinicName,
    clinicAddress: input.clinic.clinicAddress,
    clinicPhone: input.clinic.clinicPhone,
    patientName: patientFullName(input.patient),
    patientDateOfBirth: formatCalendarDate(input.patient.dateOfBirth),
  };
  for (const t of input.templates) {
    drawFormText(
      flow,
      t.title,
      `Version ${t.version}`,
      renderTemplate(t, values),
      { mode: 'blank', fields: t.fields ?? [] },
      44 + 92 * t.signers.length,
    );
    flow.ensure(44 + 92 * t.signers.length); // all of a form's signers on one page
    flow.gap(10);
    flow.heading('Signatures', 11.5);
    drawSignatureLines(flow, t.signers);
  }
  flow.finish();
}
