/**
 * A flow of US Letter pages for one person's document (a patient's packet, a cover list, a log):
 * letterhead and identifiers on every page, "Page X of Y" counted within the flow, and text that
 * breaks across lines and pages. Several flows may share one PDF (batch printing).
 */
import { rgb, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';
import type { PdfFonts } from './fonts';
import { fitLine, printable, wrapText } from './text';

export const PAGE = { width: 612, height: 792, margin: 54 } as const;
const CONTENT_TOP = PAGE.height - 110;
const CONTENT_BOTTOM = 68;

export const INK = rgb(0.1, 0.1, 0.12);
export const MUTED = rgb(0.38, 0.4, 0.44);
export const RULE = rgb(0.75, 0.77, 0.8);
export const SHADE = rgb(0.95, 0.96, 0.97);
export const ACCENT = rgb(0.13, 0.33, 0.47);

export type Letterhead = { clinicName: string; clinicAddress?: string; clinicPhone?: string };

export type FlowHeader = {
  letterhead: Letterhead;
  /** Right side of the header, up to 3 lines: who the pages are about (bold first), e.g. name, DOB. */
  identity?: string[];
  /** Left side of the footer, e.g. "Consent packet · printed Mar 4, 2026, 5:00 PM MST". */
  footer: string;
};

export type TextStyle = {
  size?: number;
  bold?: boolean;
  color?: ReturnType<typeof rgb>;
  indent?: number;
  lineHeight?: number;
  after?: number;
};

export class PageFlow {
  readonly pages: PDFPage[] = [];
  y = 0;
  /** Printed at the top of each further page, e.g. "Financial policy (continued)". */
  runningTitle: string | undefined;
  private readonly widths = new Map<string, number>();

  constructor(
    private readonly doc: PDFDocument,
    readonly fonts: PdfFonts,
    private readonly header: FlowHeader,
  ) {}

  get left(): number {
    return PAGE.margin;
  }
  get width(): number {
    return PAGE.width - 2 * PAGE.margin;
  }
  get page(): PDFPage {
    return this.pages.at(-1) ?? this.newPage();
  }

  newPage(): PDFPage {
    const page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.pages.push(page);
    this.y = CONTENT_TOP;
    if (this.runningTitle) {
      this.draw(this.runningTitle, this.left, this.y - 9, { size: 8.5, color: MUTED }, page);
      this.y -= 22;
    }
    return page;
  }

  /** Start a new page unless `height` points still fit on this one. */
  ensure(height: number): void {
    if (this.pages.length === 0 || this.y - height < CONTENT_BOTTOM) this.newPage();
  }

  /** Room left on the current page. */
  get room(): number {
    return this.pages.length === 0 ? CONTENT_TOP - CONTENT_BOTTOM : this.y - CONTENT_BOTTOM;
  }

  gap(points: number): void {
    this.y -= points;
  }

  /** Width of a string, cached per font and size (measuring is the slow part of layout). */
  measure(text: string, size: number, bold = false): number {
    const key = `${bold ? 'b' : 'r'}${size}|${text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      w = (bold ? this.fonts.bold : this.fonts.regular).widthOfTextAtSize(text, size);
      this.widths.set(key, w);
    }
    return w;
  }

  wrap(text: string, width: number, size: number, bold = false): string[] {
    return wrapText(text, width, (s) => this.measure(s, size, bold));
  }

  /** One line at an exact spot (no wrapping, no page break). */
  draw(text: string, x: number, y: number, style: TextStyle = {}, page = this.page): void {
    const size = style.size ?? 10;
    page.drawText(printable(text), {
      x,
      y,
      size,
      font: this.font(style.bold),
      color: style.color ?? INK,
    });
  }

  font(bold?: boolean): PDFFont {
    return bold ? this.fonts.bold : this.fonts.regular;
  }

  /** Wrapped text; moves to a new page between lines when the page is full. */
  paragraph(text: string, style: TextStyle = {}): void {
    const size = style.size ?? 10.5;
    const lineHeight = style.lineHeight ?? size * 1.42;
    const indent = style.indent ?? 0;
    for (const line of this.wrap(text, this.width - indent, size, style.bold)) {
      this.ensure(lineHeight);
      this.y -= lineHeight;
      this.draw(line, this.left + indent, this.y + lineHeight * 0.25, style);
    }
    this.y -= style.after ?? size * 0.7;
  }

  /** A heading kept with at least two lines of what follows it. */
  heading(text: string, size = 12.5, color = INK): void {
    const lines = this.wrap(text, this.width, size, true);
    const height = lines.length * size * 1.3;
    this.ensure(height + size * 0.6 + 3 * 15);
    if (this.y < CONTENT_TOP) this.y -= size * 0.6;
    for (const line of lines) {
      this.y -= size * 1.3;
      this.draw(line, this.left, this.y + size * 0.3, { size, bold: true, color });
    }
    this.y -= size * 0.35;
  }

  bullets(items: string[], style: TextStyle = {}): void {
    const size = style.size ?? 10.5;
    const lineHeight = size * 1.42;
    const indent = (style.indent ?? 0) + 16;
    for (const item of items) {
      const lines = this.wrap(item, this.width - indent, size);
      lines.forEach((line, i) => {
        this.ensure(lineHeight);
        this.y -= lineHeight;
        const baseline = this.y + lineHeight * 0.25;
        if (i === 0) this.draw('•', this.left + indent - 11, baseline, { size, color: MUTED });
        this.draw(line, this.left + indent, baseline, { size });
      });
      this.y -= size * 0.25;
    }
    this.y -= size * 0.5;
  }

  rule(color = RULE, thickness = 0.6): void {
    this.page.drawLine({
      start: { x: this.left, y: this.y },
      end: { x: this.left + this.width, y: this.y },
      thickness,
      color,
    });
  }

  /** Draw letterhead, identity and "Page X of Y" on every page of this flow. Call once, last. */
  finish(): void {
    const total = this.pages.length;
    this.pages.forEach((page, i) => this.drawFrame(page, i + 1, total));
  }

  private drawFrame(page: PDFPage, number: number, total: number): void {
    const { letterhead, footer } = this.header;
    const identity = (this.header.identity ?? []).slice(0, 3);
    const top = PAGE.height - 50;
    const identityWidth = identity.length > 0 ? 210 : 0;
    const leftWidth = this.width - identityWidth - 16;
    const fit = (t: string, size: number, bold = false) =>
      fitLine(t, leftWidth, (s) => this.measure(s, size, bold));
    this.draw(
      fit(letterhead.clinicName, 13, true),
      this.left,
      top,
      { size: 13, bold: true, color: ACCENT },
      page,
    );
    const contact = [letterhead.clinicAddress, letterhead.clinicPhone].filter((s) => s?.trim());
    if (contact.length > 0)
      this.draw(
        fit(contact.join('  ·  '), 8.5),
        this.left,
        top - 14,
        { size: 8.5, color: MUTED },
        page,
      );

    const right = this.left + this.width;
    identity.forEach((line, i) => {
      const size = i === 0 ? 11 : 8.5;
      const text = fitLine(line, identityWidth, (s) => this.measure(s, size, i === 0));
      const w = this.measure(text, size, i === 0);
      const y = top - (i === 0 ? 0 : 2 + i * 11.5);
      this.draw(text, right - w, y, { size, bold: i === 0, color: i === 0 ? INK : MUTED }, page);
    });
    const ruleY = top - 16 - Math.max(contact.length > 0 ? 14 : 4, identity.length * 11.5);
    page.drawLine({
      start: { x: this.left, y: ruleY },
      end: { x: right, y: ruleY },
      thickness: 1.2,
      color: ACCENT,
    });

    const footY = 40;
    page.drawLine({
      start: { x: this.left, y: footY + 12 },
      end: { x: right, y: footY + 12 },
      thickness: 0.5,
      color: RULE,
    });
    const pageLabel = `Page ${number} of ${total}`;
    const labelWidth = this.measure(pageLabel, 8.5, true);
    const footerText = fitLine(footer, this.width - labelWidth - 24, (s) => this.measure(s, 7.5));
    this.draw(footerText, this.left, footY, { size: 7.5, color: MUTED }, page);
    this.draw(pageLabel, right - labelWidth, footY, { size: 8.5, bold: true }, page);
  }
}
