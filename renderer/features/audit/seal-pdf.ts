/** One page a practice files: the audit seal of this computer and how to check it later. */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';
import boldUrl from '../../../resources/fonts/DejaVuSans-Bold.ttf?url';
import regularUrl from '../../../resources/fonts/DejaVuSans.ttf?url';
import { formatDateTime } from '../../app/format';

async function fontBytes(url: string) {
  const res = await fetch(url);
  if (!res.ok) throw new Error('The PDF font could not be loaded. Reload KAT Chart and try again.');
  return new Uint8Array(await res.arrayBuffer());
}

export async function buildSealPdf(input: {
  clinicName: string;
  seal: string;
  generatedAt: Date;
  generatedBy: string;
}): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle('KAT Chart audit seal');
  doc.setCreator('KAT Chart');
  doc.setProducer('KAT Chart');
  doc.setCreationDate(input.generatedAt);
  doc.registerFontkit(fontkit);
  const [regular, bold] = await Promise.all([
    fontBytes(regularUrl).then((b) => doc.embedFont(b, { subset: true })),
    fontBytes(boldUrl).then((b) => doc.embedFont(b, { subset: true })),
  ]);
  const page = doc.addPage([612, 792]);
  const ink = rgb(0.1, 0.1, 0.12);
  let y = 720;
  const line = (t: string, size: number, font = regular, gap = size + 8) => {
    page.drawText(t, { x: 60, y, size, font, color: ink });
    y -= gap;
  };
  line(`Audit seal — ${input.clinicName}`, 18, bold, 34);
  const [head, ...parts] = input.seal.split(' · ');
  line(head ?? '', 11, bold);
  for (const p of parts) line(p, 16, bold, 26);
  y -= 10;
  line(`Made ${formatDateTime(input.generatedAt.toISOString())} by ${input.generatedBy}.`, 10);
  y -= 10;
  for (const t of [
    'This seal names the newest event of this computer’s audit log when it was made.',
    'Keep this page outside the computer (a binder, a safe). To check that no event up to it',
    'was deleted or changed: Audit log → Audit seal → type the computer, the event number and',
    'the code, then Check seal. A backup file carries the seal of the moment it was made too.',
  ])
    line(t, 10, regular, 15);
  return doc.save();
}
