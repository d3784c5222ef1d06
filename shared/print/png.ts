/**
 * Signature PNGs into a PDF, fast. signature_pad's canvas PNGs are 8-bit RGBA, not interlaced;
 * pdf-lib's own PNG path decodes and recompresses them with a slow pure-JS zlib, which made the
 * images the slowest part of a packet. This reads that one PNG shape with fflate and writes the
 * transparency as a soft mask over the ink colour. Any other PNG goes through pdf-lib.
 */
import { unzlibSync, zlibSync } from 'fflate';
import { degrees, drawImage, type PDFDocument, type PDFPage, type PDFRef } from 'pdf-lib';

/** Pixels of an 8-bit RGB (3 channels) or RGBA (4 channels) PNG, filters undone. */
export type DecodedPng = { width: number; height: number; channels: 3 | 4; pixels: Uint8Array };

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Decode an 8-bit RGB or RGBA, non-interlaced PNG; undefined for any other kind. */
export function decodeSimplePng(png: Uint8Array): DecodedPng | undefined {
  if (png.length < 33 || SIGNATURE.some((b, i) => png[i] !== b)) return undefined;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const [depth, colour, , , interlace] = png.subarray(24, 29);
  const channels = colour === 6 ? 4 : colour === 2 ? 3 : 0;
  if (depth !== 8 || channels === 0 || interlace !== 0 || width === 0 || height === 0)
    return undefined;

  const parts: Uint8Array[] = [];
  for (let at = 8; at + 8 <= png.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (type === 'IDAT') parts.push(png.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
  const raw = unzlibSync(joined);
  if (raw.length < height * (width * channels + 1)) return undefined;
  const pixels = unfilter(raw, width * channels, height, channels);
  return pixels && { width, height, channels, pixels };
}

/** Undo the per-row PNG filters (None, Sub, Up, Average, Paeth); one tight loop per filter. */
function unfilter(raw: Uint8Array, stride: number, height: number, bpp: number) {
  const out = new Uint8Array(stride * height);
  const zero = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = out.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? out.subarray((y - 1) * stride, y * stride) : zero;
    if (filter === 0) cur.set(src);
    else if (filter === 1) {
      for (let x = 0; x < bpp; x++) cur[x] = src[x]!;
      for (let x = bpp; x < stride; x++) cur[x] = (src[x]! + cur[x - bpp]!) & 0xff;
    } else if (filter === 2) {
      for (let x = 0; x < stride; x++) cur[x] = (src[x]! + up[x]!) & 0xff;
    } else if (filter === 3) {
      for (let x = 0; x < bpp; x++) cur[x] = (src[x]! + (up[x]! >> 1)) & 0xff;
      for (let x = bpp; x < stride; x++)
        cur[x] = (src[x]! + ((cur[x - bpp]! + up[x]!) >> 1)) & 0xff;
    } else if (filter === 4) {
      for (let x = 0; x < bpp; x++) cur[x] = (src[x]! + up[x]!) & 0xff;
      for (let x = bpp; x < stride; x++) {
        const a = cur[x - bpp]!;
        const b = up[x]!;
        const c = up[x - bpp]!;
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        cur[x] = (src[x]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
      }
    } else return undefined;
  }
  return out;
}

/**
 * The one ink colour of a drawn signature on a transparent background, or undefined if the image
 * has other colours (a photo, a white background) and must keep every pixel's colour.
 */
function singleInk(p: Uint8Array): [number, number, number] | undefined {
  let ink: [number, number, number] | undefined;
  for (let i = 0; i < p.length; i += 4) {
    if (p[i + 3]! < 96) continue; // faint edge pixels carry rounding noise, not colour
    if (!ink) ink = [p[i]!, p[i + 1]!, p[i + 2]!];
    else if (
      Math.abs(p[i]! - ink[0]) > 24 ||
      Math.abs(p[i + 1]! - ink[1]) > 24 ||
      Math.abs(p[i + 2]! - ink[2]) > 24
    )
      return undefined;
  }
  return ink ?? [0, 0, 0];
}

/** An image in the PDF, drawn with `drawEmbeddedImage`. */
export type EmbeddedImage = { ref: PDFRef; width: number; height: number };

export async function embedPngImage(doc: PDFDocument, png: Uint8Array): Promise<EmbeddedImage> {
  const decoded = decodeSimplePng(png);
  if (!decoded) {
    const image = await doc.embedPng(png);
    return { ref: image.ref, width: image.width, height: image.height };
  }
  const { width, height, channels, pixels } = decoded;
  const image = (w: number, h: number, data: Uint8Array, colorSpace: string, more = {}) =>
    doc.context.register(
      doc.context.stream(zlibSync(data, { level: 1 }), {
        Type: 'XObject',
        Subtype: 'Image',
        Width: w,
        Height: h,
        BitsPerComponent: 8,
        ColorSpace: colorSpace,
        Filter: 'FlateDecode',
        ...more,
      }),
    );
  if (channels === 3) return { ref: image(width, height, pixels, 'DeviceRGB'), width, height };

  const alpha = new Uint8Array(width * height);
  for (let i = 0; i < alpha.length; i++) alpha[i] = pixels[i * 4 + 3]!;
  const smask = image(width, height, alpha, 'DeviceGray');
  const ink = singleInk(pixels);
  if (ink) {
    // A soft mask may differ in size from its image (PDF 1.7, 11.6.5.3): one ink pixel, stretched
    // under a full-resolution mask, draws the same signature from a third of the data.
    return { ref: image(1, 1, new Uint8Array(ink), 'DeviceRGB', { SMask: smask }), width, height };
  }
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) rgb.set(pixels.subarray(i, i + 3), j);
  return { ref: image(width, height, rgb, 'DeviceRGB', { SMask: smask }), width, height };
}

export function drawEmbeddedImage(
  page: PDFPage,
  image: EmbeddedImage,
  box: { x: number; y: number; width: number; height: number },
): void {
  const name = page.node.newXObject('Image', image.ref);
  page.pushOperators(
    ...drawImage(name, { ...box, rotate: degrees(0), xSkew: degrees(0), ySkew: degrees(0) }),
  );
}
