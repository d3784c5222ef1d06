/**
 * Consent packet PDF: the clinic's default in-office IV packet, signed by patient, witness and
 * clinician with drawn-signature PNGs (the fixture the print tests check), built by shared/print
 * in Node (the same pure code the renderer runs). Fonts are read once before timing, as the app
 * caches them. Every build decodes and embeds its signatures afresh: nothing is cached between
 * builds but the parsed fonts, which the app keeps too.
 */
import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { buildConsentPacketPdf } from '../../shared/print/consent-packet';
import { PDF_FONT_FILES } from '../../shared/print/fonts';
import {
  FIXTURE_CLINIC,
  FIXTURE_PATIENT,
  signedIvPacketFixture,
} from '../../shared/print/test-support';

export async function consentPdfBench(reps: number) {
  const fonts = {
    regular: readFileSync(PDF_FONT_FILES.regular),
    bold: readFileSync(PDF_FONT_FILES.bold),
  };
  const { packet, consents } = await signedIvPacketFixture('bench-device');
  const signatures = consents.reduce((n, c) => n + c.signatures.length, 0);
  const build = () =>
    buildConsentPacketPdf({
      clinic: FIXTURE_CLINIC,
      patient: FIXTURE_PATIENT,
      consents,
      fonts,
      generatedAt: '2026-03-04T22:00:00Z',
      timeZone: 'America/Denver',
      packetName: packet.name,
    });
  const pages = (await PDFDocument.load(await build())).getPageCount();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await build();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { pages, forms: consents.length, signatures, medianMs: times[Math.floor(reps / 2)]! };
}
