/**
 * The clinic's recovery sheet: the one paper copy of the recovery key, printed large, in groups,
 * each character in its own cell so it can be read back without guessing, with plain instructions
 * and lines to record where it is kept. Nothing about the key goes into the PDF's metadata.
 */
import { createPrintDocument } from './document';
import type { PdfFontBytes } from './fonts';
import { formatInstant } from './format';
import { ACCENT, INK, MUTED, PageFlow, RULE, SHADE } from './layout';

/** Characters that look alike in print get a small name under them. */
const SPOKEN: Record<string, string> = {
  '0': 'zero',
  O: 'oh',
  o: 'small oh',
  '1': 'one',
  I: 'eye',
  l: 'small ell',
  '5': 'five',
  S: 'ess',
  '2': 'two',
  Z: 'zed',
  '8': 'eight',
  B: 'bee',
};

/** Groups as written (split at spaces or dashes), or runs of four if the key has no separators. */
export function recoveryKeyGroups(key: string): string[] {
  const trimmed = key.trim();
  const groups = trimmed.split(/[\s-]+/).filter(Boolean);
  if (groups.length > 1) return groups;
  return trimmed.match(/.{1,4}/g) ?? [];
}

export async function buildRecoverySheetPdf(input: {
  clinicName: string;
  recoveryKey: string;
  createdAt: Date | string;
  fonts: PdfFontBytes;
  timeZone?: string;
}): Promise<Uint8Array> {
  const groups = recoveryKeyGroups(input.recoveryKey);
  if (groups.length === 0)
    throw new Error('There is no recovery key to print. Create the clinic key first.');
  const tz = input.timeZone ?? 'UTC';
  const { doc, fonts } = await createPrintDocument({
    title: 'Clinic recovery sheet',
    fonts: input.fonts,
    generatedAt: input.createdAt,
  });
  const flow = new PageFlow(doc, fonts, {
    letterhead: { clinicName: input.clinicName },
    identity: ['Clinic recovery sheet', 'Confidential: keep in a safe'],
    footer: `Recovery sheet  ·  key created ${formatInstant(input.createdAt, tz)}`,
  });
  flow.newPage();
  flow.heading('Clinic recovery key', 18);
  flow.paragraph(
    `This key unlocks all of ${input.clinicName}'s charts if every administrator passphrase is ` +
      'lost. Anyone who has it and a copy of the clinic data can read every chart.',
    { size: 10, after: 12 },
  );
  drawKeyGrid(flow, groups);

  flow.heading('Keep it safe', 12);
  flow.bullets([
    'Store this sheet in a locked safe or a bank deposit box, away from the clinic computers.',
    'Never photograph, scan, copy or email it, and never type it into anything but KAT Chart.',
    'Do not write the key anywhere else. If this sheet is lost or seen by someone who should ' +
      'not have it, an administrator must create a new key and print a new sheet at once.',
  ]);
  flow.heading('How to use it', 12);
  flow.bullets([
    'On the KAT Chart sign-in screen, choose to recover clinic access with the recovery key.',
    'Type the characters exactly as printed, group by group. Capital and small letters differ.',
    'Choose new administrator passphrases, then put this sheet back in the safe.',
  ]);
  drawStorageLines(flow);
  flow.finish();
  return doc.save();
}

const CELL_W = 25;
const CELL_H = 36;
const GROUP_GAP = 14;

function drawKeyGrid(flow: PageFlow, groups: string[]) {
  const groupWidth = (g: string) => g.length * CELL_W;
  const rows: string[][] = [[]];
  let used = 0;
  for (const g of groups) {
    const w = groupWidth(g) + (rows.at(-1)!.length > 0 ? GROUP_GAP : 0);
    if (used + w > flow.width - 24 && rows.at(-1)!.length > 0) {
      rows.push([]);
      used = 0;
    }
    used += groupWidth(g) + (rows.at(-1)!.length > 0 ? GROUP_GAP : 0);
    rows.at(-1)!.push(g);
  }
  const boxHeight = rows.length * (CELL_H + 14) + 20;
  flow.ensure(boxHeight + 20);
  const top = flow.y;
  flow.page.drawRectangle({
    x: flow.left,
    y: top - boxHeight,
    width: flow.width,
    height: boxHeight,
    color: SHADE,
    borderColor: ACCENT,
    borderWidth: 1.2,
  });
  rows.forEach((row, r) => {
    let x = flow.left + 12;
    const y = top - 14 - r * (CELL_H + 14) - CELL_H;
    for (const group of row) {
      for (const ch of group) {
        flow.page.drawRectangle({
          x,
          y,
          width: CELL_W - 3,
          height: CELL_H,
          borderColor: RULE,
          borderWidth: 0.6,
        });
        const w = flow.measure(ch, 20, true);
        flow.draw(ch, x + (CELL_W - 3 - w) / 2, y + 13, { size: 20, bold: true, color: INK });
        const hint = SPOKEN[ch];
        if (hint) {
          const hw = flow.measure(hint, 5.5);
          flow.draw(hint, x + (CELL_W - 3 - hw) / 2, y + 3, { size: 5.5, color: MUTED });
        }
        x += CELL_W;
      }
      x += GROUP_GAP;
    }
  });
  flow.gap(boxHeight + 10);
  flow.paragraph(
    `${groups.join('').length} characters in ${groups.length} groups. Small words under a ` +
      'character tell apart ones that look alike (zero and oh, one and ell).',
    { size: 8.5, color: MUTED, after: 14 },
  );
}

function drawStorageLines(flow: PageFlow) {
  flow.ensure(120);
  flow.gap(8);
  flow.heading('Record of storage', 12);
  for (const label of ['Date stored', 'Where it is kept', 'Stored by (name and signature)']) {
    flow.gap(30);
    flow.page.drawLine({
      start: { x: flow.left + 190, y: flow.y },
      end: { x: flow.left + flow.width, y: flow.y },
      thickness: 0.8,
      color: INK,
    });
    flow.draw(label, flow.left, flow.y + 2, { size: 9.5, color: MUTED });
  }
}
