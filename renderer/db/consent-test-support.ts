/** Signatures for consent tests: the patient's, and staff signers confirmed with their passphrase. */
import type { ConsentTemplate, SignerRole } from '../../shared/model';
import { signaturePngDataUrl } from '../../shared/print/test-support';
import { type ConfirmedSigner, confirmSigner } from './consent-signers';
import type { RecordStore } from './record-store';

export type Staff = Record<Exclude<SignerRole, 'patient'>, ConfirmedSigner>;

/** `witness` and `clinician` confirm in `store` (as the signing screen does). */
export async function confirmStaff(
  store: RecordStore,
  witness: { id: string; passphrase: string },
  clinician: { id: string; passphrase: string },
): Promise<Staff> {
  return {
    witness: await confirmSigner(store, {
      userId: witness.id,
      place: 'witness',
      passphrase: witness.passphrase,
    }),
    clinician: await confirmSigner(store, {
      userId: clinician.id,
      place: 'clinician',
      passphrase: clinician.passphrase,
    }),
  };
}

/** One form with a drawn signature for each of `roles`. */
export function signedForm(
  template: ConsentTemplate,
  staff: Staff,
  signedAt: string,
  roles: readonly SignerRole[] = template.signers,
  patientName = 'Maya Okafor',
) {
  return {
    template,
    fieldValues: template.fields && fieldValuesFor(template),
    signatures: roles.map((role, i) => ({
      ...(role === 'patient' ? { name: patientName } : staff[role]),
      role,
      signedAt,
      image: signaturePngDataUrl(i + 1, 60, 20),
    })),
  };
}

/** What the patient fills in on a form that asks (the transport agreement's escort, initials). */
export function fieldValuesFor(template: ConsentTemplate): Record<string, string> {
  const value = {
    text: 'Alex Rivera',
    phone: '218-555-0147',
    initials: 'MO',
    checkbox: 'yes',
    date: '2026-03-01',
  };
  return Object.fromEntries((template.fields ?? []).map((f) => [f.id, value[f.type]]));
}
