/**
 * The clinic recovery sheet: the paper copy of the clinic recovery key, kept in the safe. With it
 * and their user name, anyone whose passphrase is forgotten sets a new one at "Forgot passphrase?"
 * on the sign-in screen and reads every chart again (renderer/sync/recovery.ts). The key is printed
 * exactly as shown on screen when it was created; it is stored nowhere else.
 */
import { createPrintDocument } from '../../../shared/print/document';
import type { PdfFontBytes } from '../../../shared/print/fonts';
import { formatInstant } from '../../../shared/print/format';
import { MUTED, PageFlow, type Letterhead } from '../../../shared/print/layout';
import { drawKeyValues } from '../../../shared/print/tables';

/** `words`: the key in its printed groups; `keyVersion`: the clinic key version when printed. */
export type RecoveryKey = { words: string; keyVersion: number };

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
  const flow = new PageFlow(doc, fonts, {
    letterhead: input.clinic,
    identity: ['Clinic recovery sheet', 'CONFIDENTIAL: keep in the clinic safe'],
    footer: `Recovery sheet  ·  printed ${formatInstant(input.generatedAt, input.timeZone)}`,
  });
  flow.newPage();
  flow.heading('Clinic recovery sheet', 16);
  flow.paragraph(
    'This sheet restores access to the clinic’s charts when a passphrase is forgotten. Anyone who ' +
      'holds it and one of the clinic’s computers can read every chart: keep it in the clinic ' +
      'safe, never photograph or scan it. Later clinic key changes do not need a new sheet.',
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
    'On a clinic computer’s sign-in screen choose “Forgot passphrase?”.',
    'Enter the user name, then this key exactly as printed (dashes and capitals do not matter).',
    'Choose a new passphrase: that user is signed in with every chart readable.',
    'If this sheet is lost or seen by someone else, an administrator creates a new recovery key in ' +
      'Settings → Clinic server; this sheet then stops working. Destroy it.',
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
