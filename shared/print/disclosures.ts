/**
 * The accounting of disclosures a patient may ask for (HIPAA 45 CFR 164.528): for each disclosure
 * the date, the recipient, what was disclosed and why (164.528(b)(2)); then, apart, copies that were
 * released but are not owed in the accounting (treatment, payment, operations, to the patient, or
 * under their authorization: 164.528(a)(1)), so a privacy officer sees everything that left.
 */
import { PURPOSES, RECIPIENTS, type DisclosureLine, exemptionWords } from '../rules/disclosures';
import { patientIdentity, type PrintPatient } from './consent-form';
import { createPrintDocument } from './document';
import type { PdfFontBytes } from './fonts';
import { formatInstant } from './format';
import { MUTED, PageFlow, type Letterhead } from './layout';
import { drawTable } from './tables';

export type DisclosureAccountingInput = {
  letterhead: Letterhead;
  patient: PrintPatient;
  /** "2020-12-07 to 2026-12-07", as the person chose it. */
  period: string;
  owed: DisclosureLine[];
  exempt: DisclosureLine[];
  /** Prints and exports made before recipients were asked. */
  unrecorded: number;
  generatedAt: Date | string;
  generatedBy: string;
  timeZone?: string;
  fonts: PdfFontBytes;
};

const recipient = (l: DisclosureLine) =>
  l.name ? `${l.name} (${RECIPIENTS[l.to].toLowerCase()})` : RECIPIENTS[l.to];
const purpose = (l: DisclosureLine) => `${PURPOSES[l.purpose]}${l.note ? `: ${l.note}` : ''}`;

export async function buildDisclosureAccountingPdf(
  input: DisclosureAccountingInput,
): Promise<Uint8Array> {
  const tz = input.timeZone ?? 'UTC';
  const { doc, fonts } = await createPrintDocument({
    title: 'Accounting of disclosures',
    fonts: input.fonts,
    generatedAt: input.generatedAt,
  });
  const flow = new PageFlow(doc, fonts, {
    letterhead: input.letterhead,
    identity: patientIdentity(input.patient, 'Accounting of disclosures'),
    footer: `Accounting of disclosures · ${input.period} · made ${formatInstant(input.generatedAt, tz)} by ${input.generatedBy}`,
  });
  flow.heading('Accounting of disclosures', 15);
  flow.paragraph(
    `Disclosures of this patient’s health information by ${input.letterhead.clinicName}, ${input.period}, ` +
      'as required by 45 CFR 164.528: the date, who received it, what was disclosed and why.',
    { size: 9, color: MUTED, after: 10 },
  );
  const when = (l: DisclosureLine) => formatInstant(l.at, tz);
  if (input.owed.length === 0)
    flow.paragraph('No disclosures that must be accounted for were made in this period.', {
      after: 10,
    });
  else
    drawTable(
      flow,
      [
        { header: 'Date', width: 0.18 },
        { header: 'Recipient', width: 0.28 },
        { header: 'What was disclosed', width: 0.24 },
        { header: 'Purpose', width: 0.3 },
      ],
      input.owed.map((l) => [when(l), recipient(l), l.what, purpose(l)]),
    );
  flow.heading('Also released, not owed in the accounting', 11.5);
  flow.paragraph(
    'Copies for treatment, payment or health care operations, to the patient, or under their ' +
      'written authorization (45 CFR 164.528(a)(1)). Listed so nothing that left is hidden.',
    { size: 8.5, color: MUTED, after: 6 },
  );
  if (input.exempt.length === 0) flow.paragraph('None in this period.', { after: 10 });
  else
    drawTable(
      flow,
      [
        { header: 'Date', width: 0.17 },
        { header: 'Recipient', width: 0.25 },
        { header: 'What', width: 0.22 },
        { header: 'Why it is not owed', width: 0.36 },
      ],
      input.exempt.map((l) => [when(l), recipient(l), l.what, exemptionWords(l)]),
    );
  if (input.unrecorded > 0)
    flow.paragraph(
      `${input.unrecorded} print${input.unrecorded === 1 ? '' : 's'} or export${input.unrecorded === 1 ? '' : 's'} ` +
        'in this period were made before KAT Chart asked for the recipient; the access report ' +
        'lists them with who made them.',
      { size: 9, after: 6 },
    );
  flow.finish();
  return doc.save();
}
