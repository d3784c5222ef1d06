/**
 * A new PDF for a printout, with fonts embedded and metadata pinned to the caller's clock, so the
 * same data always gives the same bytes. Metadata never holds patient names: the title shows in
 * OS print queues and file managers.
 */
import { PDFDocument } from 'pdf-lib';
import { embedFonts, type PdfFontBytes, type PdfFonts } from './fonts';

export async function createPrintDocument(opts: {
  title: string;
  fonts: PdfFontBytes;
  generatedAt: Date | string;
}): Promise<{ doc: PDFDocument; fonts: PdfFonts }> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const at = new Date(opts.generatedAt);
  if (Number.isNaN(at.getTime()))
    throw new Error('The print time is not a valid date; the PDF was not made.');
  doc.setTitle(opts.title);
  doc.setCreator('KAT Chart');
  doc.setProducer('KAT Chart');
  doc.setLanguage('en-US');
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  return { doc, fonts: await embedFonts(doc, opts.fonts) };
}
