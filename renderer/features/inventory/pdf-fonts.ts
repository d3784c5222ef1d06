/** Font bytes for the prescriber printouts, fetched once from the bundled resources. */
import bold from '../../../resources/fonts/DejaVuSans-Bold.ttf?url';
import regular from '../../../resources/fonts/DejaVuSans.ttf?url';
import type { PdfFontBytes } from '../../../shared/print/fonts';

let loading: Promise<PdfFontBytes> | undefined;

export function loadPdfFonts(): Promise<PdfFontBytes> {
  loading ??= Promise.all([fetchBytes(regular), fetchBytes(bold)]).then(([r, b]) => ({
    regular: r,
    bold: b,
  }));
  loading.catch(() => (loading = undefined));
  return loading;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok)
    throw new Error('The fonts for printing could not be loaded. Reload KAT Chart and try again.');
  return new Uint8Array(await res.arrayBuffer());
}
