/**
 * The audit log as a PDF for an auditor or a compliance binder: landscape pages, one line per
 * event, the filter and the chain check on the first page, page numbers on every page.
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import boldUrl from '../../../resources/fonts/DejaVuSans-Bold.ttf?url';
import regularUrl from '../../../resources/fonts/DejaVuSans.ttf?url';
import type { AuditEntry } from '../../db/audit-repository';
import { actionLabel } from './audit-labels';

const W = 792;
const H = 612;
const M = 36;
const COLS: { header: string; width: number; value: (e: AuditEntry) => string }[] = [
  { header: 'When (UTC)', width: 104, value: (e) => e.at.replace('T', ' ').slice(0, 19) },
  { header: 'Action', width: 86, value: (e) => actionLabel(e.action) },
  { header: 'User', width: 110, value: (e) => e.userName },
  { header: 'Patient', width: 120, value: (e) => e.patientName },
  { header: 'Record', width: 90, value: (e) => e.recordWords },
  { header: 'Detail', width: 170, value: (e) => e.detail },
  { header: '#', width: 40, value: (e) => (e.seq ? String(e.seq) : '') },
];

async function fontBytes(url: string) {
  const res = await fetch(url);
  if (!res.ok) throw new Error('The PDF font could not be loaded. Reload KAT Chart and try again.');
  return new Uint8Array(await res.arrayBuffer());
}

function fit(text: string, width: number, font: PDFFont, size: number) {
  const clean = text.replace(/\s+/g, ' ');
  if (font.widthOfTextAtSize(clean, size) <= width) return clean;
  let cut = clean;
  while (cut && font.widthOfTextAtSize(`${cut}…`, size) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

export async function buildAuditPdf(input: {
  clinicName: string;
  entries: AuditEntry[];
  filterSummary: string;
  chainSummary: string;
  generatedAt: Date;
  generatedBy: string;
  /** Another report built from audit events (the access report): its title, and lines above the events. */
  title?: string;
  summaryLines?: string[];
}): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`KAT Chart ${input.title ?? 'audit log'}`);
  doc.setCreator('KAT Chart');
  doc.setProducer('KAT Chart');
  doc.setCreationDate(input.generatedAt);
  doc.registerFontkit(fontkit);
  const [regular, bold] = await Promise.all([
    fontBytes(regularUrl).then((b) => doc.embedFont(b, { subset: true })),
    fontBytes(boldUrl).then((b) => doc.embedFont(b, { subset: true })),
  ]);
  const ink = rgb(0.1, 0.1, 0.12);
  const muted = rgb(0.35, 0.37, 0.4);
  let page: PDFPage = doc.addPage([W, H]);
  let y = H - M;
  const text = (p: PDFPage, t: string, x: number, size: number, font = regular, color = ink) =>
    p.drawText(t, { x, y, size, font, color });
  const header = () => {
    let x = M;
    for (const c of COLS) {
      text(page, c.header, x, 8, bold);
      x += c.width;
    }
    y -= 4;
    page.drawLine({ start: { x: M, y }, end: { x: W - M, y }, thickness: 0.5, color: muted });
    y -= 11;
  };
  text(page, `${input.title ?? 'Audit log'} — ${input.clinicName}`, M, 14, bold);
  y -= 18;
  text(page, input.filterSummary, M, 9, regular, muted);
  y -= 13;
  for (const line of input.summaryLines ?? []) {
    if (y < M + 16) {
      page = doc.addPage([W, H]);
      y = H - M;
    }
    text(page, fit(line, W - 2 * M, regular, 9), M, 9);
    y -= 12;
  }
  text(page, input.chainSummary, M, 9, bold);
  y -= 13;
  text(
    page,
    `Exported ${input.generatedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC by ${input.generatedBy} · ${input.entries.length} event${input.entries.length === 1 ? '' : 's'}`,
    M,
    9,
    regular,
    muted,
  );
  y -= 20;
  header();
  for (const e of input.entries) {
    if (y < M + 16) {
      page = doc.addPage([W, H]);
      y = H - M;
      header();
    }
    let x = M;
    for (const c of COLS) {
      text(page, fit(c.value(e), c.width - 6, regular, 7.5), x, 7.5);
      x += c.width;
    }
    y -= 11;
  }
  const pages = doc.getPages();
  pages.forEach((p, i) =>
    p.drawText(`Page ${i + 1} of ${pages.length}`, {
      x: W - M - 60,
      y: M / 2,
      size: 8,
      font: regular,
      color: muted,
    }),
  );
  return doc.save();
}
