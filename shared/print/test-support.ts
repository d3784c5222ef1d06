/**
 * Test fixtures for printouts (pure, no Node): signature PNGs like signature_pad makes (ink on a
 * transparent background) and a realistic signed packet. Used by the print tests and benchmarks.
 */
import { zlibSync } from 'fflate';
import { defaultConsentPackets, defaultConsentTemplates } from '../consent-defaults';
import type { ConsentTemplateBody, SignedConsentBody } from '../model/consent';
import { prepareSignedConsent } from '../rules/consent';
import type { ConsentPacketDefinition } from '../rules/packets';
import { concatBytes, toBase64, utf8 } from '../util/bytes';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(utf8(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A PNG data URL of a scribbled signature; `seed` varies the strokes. */
export function signaturePngDataUrl(seed = 1, width = 600, height = 180): string {
  const rgba = new Uint8Array(width * height * 4);
  const dot = (cx: number, cy: number, r: number) => {
    for (let y = Math.floor(cy - r); y <= cy + r; y++)
      for (let x = Math.floor(cx - r); x <= cx + r; x++) {
        if (x < 0 || y < 0 || x >= width || y >= height || (x - cx) ** 2 + (y - cy) ** 2 > r * r)
          continue;
        rgba.set([20, 30, 90, 255], (y * width + x) * 4);
      }
  };
  for (let t = 0; t <= 1; t += 0.0004) {
    const x = 30 + t * (width - 60);
    const y =
      height / 2 +
      Math.sin(t * (9 + seed) * Math.PI) * height * 0.28 +
      Math.cos(t * 23 * Math.PI + seed) * height * 0.08;
    dot(x, y, 2.6);
  }
  return `data:image/png;base64,${toBase64(encodePng(width, height, rgba, 4, seed % 5))}`;
}

/** Encode 8-bit RGB (3) or RGBA (4) pixels as a PNG, every row with the given filter (0–4). */
export function encodePng(
  width: number,
  height: number,
  pixels: Uint8Array,
  channels: 3 | 4,
  filter = 0,
): Uint8Array {
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const v = pixels[y * stride + x]!;
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      raw[y * (stride + 1) + 1 + x] = (v - predictor) & 0xff;
    }
  }
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, channels === 4 ? 6 : 2, 0, 0, 0], 8);
  return concatBytes(
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlibSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  );
}

/** The realistic signed packet the print tests and the PDF benchmark share. */
export const FIXTURE_CLINIC = {
  clinicName: 'Aspen Ridge Wellness',
  clinicAddress: '1200 Pearl Street, Boulder, CO 80302',
  clinicPhone: '(303) 555-0100',
};
export const FIXTURE_PATIENT = {
  firstName: 'Zoë',
  lastName: 'Müller-Łukasiewicz',
  dateOfBirth: '1984-03-07',
  chartNumber: 'KC-10442',
};
export const FIXTURE_SIGNERS = {
  patient: 'Zoë Müller-Łukasiewicz',
  witness: 'Sam Okafor',
  clinician: 'Dr. Priya Raman',
};

export const FIXTURE_STAFF_ROLES = {
  witness: 'practice-manager',
  clinician: 'prescriber',
} as const;
/** What the patient fills in on the transport agreement. */
export const FIXTURE_FIELDS = {
  'escort-name': 'Jonas Lindqvist',
  'escort-phone': '303-555-0188',
  'initials-escort': 'ZML',
  'initials-driving': 'ZML',
  'initials-rest-of-day': 'ZML',
};

/**
 * The shipped in-office IV packet, every form signed by each of its signers with a drawn
 * signature (4 forms, 7 signatures), a few minutes apart on 4 March 2026.
 */
export async function signedIvPacketFixture(deviceId = 'front-desk-ipad-2'): Promise<{
  packet: ConsentPacketDefinition;
  templates: ConsentTemplateBody[];
  consents: SignedConsentBody[];
}> {
  const all = defaultConsentTemplates();
  const packet = defaultConsentPackets().find((p) => p.program === 'in-office-iv')!;
  const templates = packet.templateKeys.map((k) => all.find((t) => t.templateKey === k)!);
  const consents: SignedConsentBody[] = [];
  for (const [i, t] of templates.entries()) {
    const signedAt = `2026-03-04T21:0${i}:00.000Z`;
    consents.push(
      await prepareSignedConsent({
        template: t,
        values: { ...FIXTURE_CLINIC, patientName: FIXTURE_SIGNERS.patient },
        fieldValues: t.fields && FIXTURE_FIELDS,
        signatures: t.signers.map((role, j) => ({
          role,
          name: FIXTURE_SIGNERS[role],
          ...(role === 'patient' ? {} : { staffRole: FIXTURE_STAFF_ROLES[role] }),
          signedAt,
          image: signaturePngDataUrl(i + j),
        })),
        signedAt,
        ids: {
          patientId: '0190f1c2-0000-7000-8000-000000000001',
          templateId: '0190f1c2-0000-7000-8000-000000000002',
          deviceId,
          program: 'in-office-iv',
        },
      }),
    );
  }
  return { packet, templates, consents };
}
