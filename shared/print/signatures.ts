/**
 * Signatures on paper: captured images (signature_pad PNGs) with who, in which role and when,
 * or blank lines for a wet signature.
 */
import type { PDFDocument } from 'pdf-lib';
import type { SignedConsentBody } from '../model/consent';
import { ROLE_LABELS as STAFF_ROLE_LABELS } from '../model/user';
import { fromBase64 } from '../util/bytes';
import { formatInstant } from './format';
import { INK, MUTED, type PageFlow } from './layout';
import { drawEmbeddedImage, embedPngImage, type EmbeddedImage } from './png';

type CapturedSignature = SignedConsentBody['signatures'][number];
type Role = CapturedSignature['role'];

export const ROLE_LABELS: Record<Role, string> = {
  patient: 'Patient',
  witness: 'Witness',
  clinician: 'Clinician',
};

export type SignatureToPrint = Pick<
  CapturedSignature,
  'role' | 'name' | 'signedAt' | 'staffRole'
> & {
  image: EmbeddedImage;
};

const PNG_PREFIX = 'data:image/png;base64,';

/** Embed a signature_pad PNG data URL; a damaged image is an error a person can act on. */
export async function embedSignatureImage(
  doc: PDFDocument,
  dataUrl: string,
): Promise<EmbeddedImage> {
  try {
    if (!dataUrl.startsWith(PNG_PREFIX)) throw new Error('not a PNG data URL');
    return await embedPngImage(doc, fromBase64(dataUrl.slice(PNG_PREFIX.length)));
  } catch {
    throw new Error(
      'A signature image in this packet could not be read, so the PDF was not made. ' +
        'Open the signed form to check it, and report the problem if it keeps happening.',
    );
  }
}

const COLUMNS = 3;
const GAP = 18;
const IMAGE_HEIGHT = 52;

/** Signatures side by side, three to a row, each row kept on one page. Long names wrap. */
export function drawSignatures(flow: PageFlow, signatures: SignatureToPrint[], timeZone: string) {
  const cellWidth = (flow.width - GAP * (COLUMNS - 1)) / COLUMNS;
  for (let i = 0; i < signatures.length; i += COLUMNS) {
    const row = signatures.slice(i, i + COLUMNS).map((sig) => ({
      sig,
      name: flow.wrap(sig.name, cellWidth, 9.5, true),
      when: flow.wrap(formatInstant(sig.signedAt, timeZone), cellWidth, 8),
    }));
    const textLines = Math.max(...row.map((r) => r.name.length * 1.2 + r.when.length + 1));
    const height = IMAGE_HEIGHT + 10 + textLines * 10.5;
    flow.ensure(height + 6);
    const lineY = flow.y - IMAGE_HEIGHT - 4;
    row.forEach(({ sig, name, when }, col) => {
      const x = flow.left + col * (cellWidth + GAP);
      const { width, height: h } = sig.image;
      const scale = Math.min(cellWidth / width, IMAGE_HEIGHT / h);
      drawEmbeddedImage(flow.page, sig.image, {
        x,
        y: lineY + 2,
        width: width * scale,
        height: h * scale,
      });
      flow.page.drawLine({
        start: { x, y: lineY },
        end: { x: x + cellWidth, y: lineY },
        thickness: 0.8,
        color: INK,
      });
      let y = lineY - 12;
      for (const line of name) {
        flow.draw(line, x, y, { size: 9.5, bold: true });
        y -= 12;
      }
      const role = sig.staffRole
        ? `${ROLE_LABELS[sig.role]} · ${STAFF_ROLE_LABELS[sig.staffRole]}`
        : ROLE_LABELS[sig.role];
      flow.draw(role, x, y + 1, { size: 8, color: MUTED });
      for (const line of when) {
        y -= 10;
        flow.draw(line, x, y + 1, { size: 8, color: MUTED });
      }
    });
    flow.gap(height);
  }
}

/** Blank lines to sign by hand: signature, date and time, printed name, per signer. */
export function drawSignatureLines(flow: PageFlow, roles: Role[]) {
  const split = flow.left + flow.width * 0.62;
  const line = (x1: number, x2: number, y: number) =>
    flow.page.drawLine({ start: { x: x1, y }, end: { x: x2, y }, thickness: 0.8, color: INK });
  for (const role of roles) {
    flow.ensure(92);
    const who = ROLE_LABELS[role].toLowerCase();
    let y = flow.y - 36;
    line(flow.left, split, y);
    line(split + 18, flow.left + flow.width, y);
    flow.draw(`Signature of ${who}`, flow.left, y - 11, { size: 8, color: MUTED });
    flow.draw('Date and time', split + 18, y - 11, { size: 8, color: MUTED });
    y -= 34;
    line(flow.left, split, y);
    flow.draw(`Printed name of ${who}`, flow.left, y - 11, { size: 8, color: MUTED });
    flow.gap(36 + 34 + 20);
  }
}
