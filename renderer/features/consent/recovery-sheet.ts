/**
 * The clinic recovery sheet: the paper copy of the clinic key, kept in the safe, that restores the
 * clinic's data if every passphrase is lost. The real key comes from the sync key management
 * (SYNC.md); until it lands this prints a PLACEHOLDER, marked as such on every line that matters,
 * so the layout and the print path are ready and tested. Nothing secret is printed today.
 */
import { createPrintDocument } from '../../../shared/print/document';
import type { PdfFontBytes } from '../../../shared/print/fonts';
import { formatInstant } from '../../../shared/print/format';
import { ACCENT, MUTED, PageFlow, type Letterhead } from '../../../shared/print/layout';
import { drawKeyValues } from '../../../shared/print/tables';

export const PLACEHOLDER_KEY = 'PLACEHOLDER-NOT-A-REAL-KEY-0000-0000-0000-0000';

export type RecoveryKey = { words: string; keyVersion: number; placeholder: boolean };

/** Until the sync issue's key management exists: a key that is plainly not a key. */
export const placeholderRecoveryKey = (): RecoveryKey => ({
  words: PLACEHOLDER_KEY,
  keyVersion: 0,
  placeholder: true,
});

export async function buildRecoverySheetPdf(input: {
  clinic: Letterhead;
  clinicId: string;
  key: RecoveryKey;
  printedBy: string;
  fonts: PdfFontBytes;
  generatedAt: Date;
  timeZone: string;
}): Promise<Uint8Array> {
  const { doc, fonts } = await createPrintDocument({
    title: 'Clinic recovery sheet',
    fonts: input.fonts,
    generatedAt: input.generatedAt,
  });
  const mark = input.key.placeholder ? 'SAMPLE — PLACEHOLDER KEY, NOT USABLE' : 'CONFIDENTIAL';
  const flow = new PageFlow(doc, fonts, {
    letterhead: input.clinic,
    identity: ['Clinic recovery sheet', mark],
    footer: `Recovery sheet  ·  printed ${formatInstant(input.generatedAt, input.timeZone)}`,
  });
  flow.newPage();
  flow.heading('Clinic recovery sheet', 16);
  if (input.key.placeholder)
    flow.paragraph(
      'This is a sample. The key below is a placeholder: it cannot restore anything. Print the ' +
        'real sheet once device enrolment and key management are set up, and destroy this copy.',
      { bold: true, color: ACCENT, after: 12 },
    );
  flow.paragraph(
    'This sheet restores access to the clinic’s charts if every passphrase is lost. Anyone who ' +
      'holds it can read every chart: keep it in the clinic safe, never photograph or scan it, ' +
      'and print a new one whenever the clinic key changes.',
    { after: 12 },
  );
  drawKeyValues(flow, [
    ['Clinic', input.clinic.clinicName],
    ['Clinic id', input.clinicId],
    ['Key version', String(input.key.keyVersion)],
    ['Recovery key', input.key.words],
    ['Printed by', input.printedBy],
    ['Printed', formatInstant(input.generatedAt, input.timeZone)],
  ]);
  flow.gap(16);
  flow.heading('To restore', 12);
  flow.bullets([
    'Install KAT Chart on a trusted computer and choose “Restore a clinic”.',
    'Type the recovery key exactly as printed, then set new passphrases for every user.',
    'Print a new recovery sheet and destroy this one.',
  ]);
  flow.gap(24);
  flow.paragraph(
    'Stored by: ______________________   Date: __________   Location: ______________',
    {
      color: MUTED,
    },
  );
  flow.finish();
  return doc.save();
}
