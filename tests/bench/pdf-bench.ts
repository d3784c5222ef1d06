/**
 * Consent packet PDF: the clinic's default in-office IV packet, signed by patient, witness and
 * clinician with drawn-signature PNGs, built by shared/print in Node (the same pure code the
 * renderer runs). Fonts are read once before timing, as the app caches them.
 */
import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { defaultConsentPackets, defaultConsentTemplates } from '../../shared/consent-defaults';
import type { SignedConsentBody } from '../../shared/model/consent';
import { buildConsentPacketPdf } from '../../shared/print/consent-packet';
import { PDF_FONT_FILES } from '../../shared/print/fonts';
import { signaturePngDataUrl } from '../../shared/print/test-support';
import { prepareSignedConsent } from '../../shared/rules/consent';

const clinic = {
  clinicName: 'Aspen Ridge Wellness',
  clinicAddress: '1200 Pearl Street, Boulder, CO 80302',
  clinicPhone: '(303) 555-0100',
};
const patient = {
  firstName: 'Zoë',
  lastName: 'Müller-Łukasiewicz',
  dateOfBirth: '1984-03-07',
  chartNumber: 'KC-10442',
};
const NAMES = {
  patient: 'Zoë Müller-Łukasiewicz',
  witness: 'Sam Okafor',
  clinician: 'Dr. Priya Raman',
};

export async function consentPdfBench(reps: number) {
  const fonts = {
    regular: readFileSync(PDF_FONT_FILES.regular),
    bold: readFileSync(PDF_FONT_FILES.bold),
  };
  const templates = defaultConsentTemplates();
  const packet = defaultConsentPackets().find((p) => p.program === 'in-office-iv')!;
  const consents: SignedConsentBody[] = [];
  let signatures = 0;
  for (const [i, key] of packet.templateKeys.entries()) {
    const t = templates.find((x) => x.templateKey === key)!;
    const signedAt = `2026-03-04T21:0${i}:00.000Z`;
    signatures += t.signers.length;
    consents.push(
      await prepareSignedConsent({
        template: t,
        values: { ...clinic, patientName: NAMES.patient },
        signatures: t.signers.map((role, j) => ({
          role,
          name: NAMES[role],
          signedAt,
          image: signaturePngDataUrl(i + j),
        })),
        signedAt,
        ids: {
          patientId: '0190f1c2-0000-7000-8000-000000000001',
          templateId: '0190f1c2-0000-7000-8000-000000000002',
          deviceId: 'bench-device',
          program: 'in-office-iv',
        },
      }),
    );
  }
  const build = () =>
    buildConsentPacketPdf({
      clinic,
      patient,
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
