/**
 * The demo clinic's signed consents: at intake each patient signs their program's packet
 * (resources/consent-templates/packets.json) from the clinic's consent forms, each signer with a
 * small drawn signature, exactly as the consent screen stores them (shared/rules/consent).
 */
import { defaultConsentPackets } from '../consent-defaults';
import type { AnyRecord } from '../model';
import type { ConsentTemplateBody, SignedConsent } from '../model/consent';
import { signaturePngDataUrl } from '../print/test-support';
import { prepareSignedConsent } from '../rules/consent';

/** A consent form as the clinic stores it: the record id a signed consent points at. */
export type DemoTemplate = ConsentTemplateBody & { id: string };

type Signer = { id: string; name: string };
type Meta = (atMs: number, createdBy: string) => Record<string, unknown>;
type SignAs = <T extends AnyRecord>(r: T, who: Signer, atMs: number) => Promise<T>;

const EXPIRES = new Set(['6-months', '12-months']);

/** Distinct hands, drawn once: a clinic's staff sign the same way every time. */
const SIGNATURE_STYLES = 48;
const drawn = new Map<number, string>();
function signatureImage(seed: number): string {
  const key = seed % SIGNATURE_STYLES;
  let image = drawn.get(key);
  if (!image) {
    // 240×72 px: small enough for ~1.5 kB per signature, like a quick signature_pad capture.
    image = signaturePngDataUrl(key + 1, 240, 72);
    drawn.set(key, image);
  }
  return image;
}

export async function intakeConsents(input: {
  templates: readonly DemoTemplate[];
  program: 'in-office-iv' | 'esketamine';
  patient: { id: string; name: string; dateOfBirth: string; seed: number };
  clinician: Signer;
  witness: Signer;
  clinic: { name: string; address: string; phone: string };
  deviceId: string;
  atMs: number;
  meta: Meta;
  signAs: SignAs;
  /** Only the forms that expire (a renewal); every form of the packet otherwise. */
  renewal?: boolean;
}): Promise<SignedConsent[]> {
  const packet = defaultConsentPackets().find((p) => p.program === input.program);
  if (!packet) throw new Error(`No consent packet for ${input.program}.`);
  const out: SignedConsent[] = [];
  for (const [i, key] of packet.templateKeys.entries()) {
    const template = newest(input.templates, key);
    if (!template) continue; // a clinic that retired a form does not ask for it
    if (input.renewal && !EXPIRES.has(template.validity)) continue;
    const atMs = input.atMs + i * 4 * 60_000;
    const signedAt = new Date(atMs).toISOString();
    const who = { patient: input.patient, witness: input.witness, clinician: input.clinician };
    const body = await prepareSignedConsent({
      template,
      fieldValues: demoFieldValues(template, input.patient.name, signedAt),
      values: {
        clinicName: input.clinic.name,
        clinicAddress: input.clinic.address,
        clinicPhone: input.clinic.phone,
        patientName: input.patient.name,
        patientDateOfBirth: input.patient.dateOfBirth, // as the consent screen fills it in
      },
      signatures: template.signers.map((role) => ({
        role,
        name: who[role].name,
        signedAt,
        image: signatureImage(role === 'patient' ? input.patient.seed : hash(who[role].id)),
      })),
      signedAt,
      ids: {
        patientId: input.patient.id,
        templateId: template.id,
        deviceId: input.deviceId,
        // Signed as the program's packet, as the consent screen does.
        program: input.program,
      },
    });
    out.push(
      await input.signAs(
        {
          kind: 'signed-consent',
          ...input.meta(atMs, input.clinician.id),
          ...body,
        } as SignedConsent,
        input.clinician,
        atMs,
      ),
    );
  }
  return out;
}

/** What a patient fills in on the forms that ask (the transport agreement's escort, initials). */
function demoFieldValues(template: DemoTemplate, patientName: string, signedAt: string) {
  const initials = patientName
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .toUpperCase();
  const value = (type: string) =>
    type === 'initials'
      ? initials
      : type === 'phone'
        ? '218-555-0147'
        : type === 'checkbox'
          ? 'yes'
          : type === 'date'
            ? signedAt.slice(0, 10)
            : 'Alex Rivera';
  return Object.fromEntries((template.fields ?? []).map((f) => [f.id, value(f.type)]));
}

function newest(templates: readonly DemoTemplate[], key: string): DemoTemplate | undefined {
  let best: DemoTemplate | undefined;
  for (const t of templates)
    if (t.templateKey === key && !t.retired && (!best || t.version > best.version)) best = t;
  return best;
}

const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
