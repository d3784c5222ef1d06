/**
 * Fonts for every printout: DejaVu Sans and Sans Bold (resources/fonts, Bitstream Vera license),
 * embedded as TrueType so accented and non-Latin names print as real, searchable text. The
 * builders take the font BYTES (the renderer fetches them, Node reads them): shared/ stays pure.
 */
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

export type PdfFontBytes = { regular: Uint8Array; bold: Uint8Array };
export type PdfFonts = { regular: PDFFont; bold: PDFFont };

/** Where the font files live, relative to the repository (and the packaged app's resources). */
export const PDF_FONT_FILES = {
  regular: 'resources/fonts/DejaVuSans.ttf',
  bold: 'resources/fonts/DejaVuSans-Bold.ttf',
} as const;

/**
 * pdf-lib asks fontkit to shape every string it measures or draws, then keeps only the glyph ids
 * (never positions). Full OpenType shaping costs most of a packet's build time and buys nothing
 * here, so the fonts map characters straight to glyphs. Text is NFC-normalized first (printable),
 * so accented letters use their precomposed glyphs. Complex scripts (Arabic, Indic) would need
 * shaping that pdf-lib does not do either way.
 */
const parsed = new WeakMap<Uint8Array, ReturnType<typeof fontkit.create>>();
const directFontkit = {
  create(data: Uint8Array, postscriptName?: string) {
    const known = parsed.get(data);
    if (known) return known;
    const font = fontkit.create(data, postscriptName);
    const byText = new Map<string, ReturnType<typeof font.glyphsForString>>();
    font.layout = ((text: string) => {
      let glyphs = byText.get(text);
      if (!glyphs) {
        glyphs = font.glyphsForString(text);
        if (byText.size < 20_000) byText.set(text, glyphs);
      }
      return { glyphs };
    }) as unknown as typeof font.layout;
    // Parsed once per font file: the next packet reuses the tables and the glyphs already found.
    parsed.set(data, font);
    return font;
  },
};

export async function embedFonts(doc: PDFDocument, bytes: PdfFontBytes): Promise<PdfFonts> {
  if (!bytes.regular?.length || !bytes.bold?.length)
    throw new Error(
      'The PDF fonts were not loaded. Reinstall KAT Chart or check resources/fonts, then try again.',
    );
  doc.registerFontkit(directFontkit);
  // Subset: only the glyphs used go into the file (a full DejaVu Sans is ~750 kB per face).
  const options = { subset: true };
  const [regular, bold] = await Promise.all([
    doc.embedFont(bytes.regular, options),
    doc.embedFont(bytes.bold, options),
  ]);
  return { regular, bold };
}
