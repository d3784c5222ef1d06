/**
 * Who may sign a consent form in which place (issue 17 point 5). The patient's signature is the
 * patient's: it carries their name as charted. A witness or clinician signature belongs to a
 * signed-in user of the clinic who confirmed with their own passphrase (as the witness of a
 * controlled-substance waste does) and holds a role fit for it; the record keeps the user and the
 * role, so the printout says "Dana Reyes, LCSW — Therapist", never a name typed by someone else.
 */
import type { SignedConsentBody, SignerRole } from '../model/consent';
import { ROLE_LABELS, ROLES, type Role, type UserBody } from '../model/user';
import { RuleError } from './errors';

type Signature = SignedConsentBody['signatures'][number];
export type SignerUser = Pick<UserBody, 'displayName' | 'credentials' | 'roles' | 'active'> & {
  id: string;
};

/**
 * Which staff roles may sign in each place. A clinician signature attests the treatment was
 * explained by someone who provides it (therapist or prescriber); any staff member may witness
 * the patient's signature.
 */
export const SIGNER_STAFF_ROLES: Record<Exclude<SignerRole, 'patient'>, readonly Role[]> = {
  clinician: ['prescriber', 'therapist'],
  witness: ROLES,
};

export const SIGNER_WORDS: Record<SignerRole, string> = {
  patient: 'patient',
  witness: 'witness',
  clinician: 'clinician',
};

/** The name a staff member signs with: "Dana Reyes, LCSW". */
export const staffSignerName = (u: Pick<UserBody, 'displayName' | 'credentials'>) =>
  u.credentials ? `${u.displayName}, ${u.credentials}` : u.displayName;

/** The role a user signs in `place` with (their first fitting one), or undefined if none fits. */
export function signingRole(user: Pick<UserBody, 'roles'>, place: SignerRole): Role | undefined {
  if (place === 'patient') return undefined;
  return user.roles.find((r) => SIGNER_STAFF_ROLES[place].includes(r));
}

/** Active users who may sign in `place`, by name. */
export function eligibleSigners<U extends SignerUser>(users: readonly U[], place: SignerRole): U[] {
  return users
    .filter((u) => u.active && signingRole(u, place))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** "Dana Reyes, LCSW — Therapist" (or the name alone for a patient or an older record). */
export function signerWithRole(s: Pick<Signature, 'name' | 'staffRole'>): string {
  return s.staffRole ? `${s.name} — ${ROLE_LABELS[s.staffRole]}` : s.name;
}

/**
 * Throws a RuleError unless every signature is given by who it says: the patient's by the patient
 * (their charted name), each staff signature by an active user holding a fitting role, under
 * their own name, whose passphrase was confirmed (`confirmed`).
 */
export function checkConsentSigners(input: {
  title: string;
  signatures: readonly Signature[];
  patient: { firstName: string; lastName: string };
  users: readonly SignerUser[];
  confirmed: (userId: string) => boolean;
}): void {
  const patientName = `${input.patient.firstName} ${input.patient.lastName}`.trim();
  for (const s of input.signatures) {
    const where = `the ${SIGNER_WORDS[s.role]} signature on "${input.title}"`;
    if (s.role === 'patient') {
      if (s.userId || s.staffRole)
        throw new RuleError(
          'consent.patient-signer',
          `${cap(where)} must be the patient's own, not a staff member's.`,
        );
      if (norm(s.name) !== norm(patientName))
        throw new RuleError(
          'consent.patient-signer',
          `${cap(where)} is under the name "${s.name}", but this chart is ${patientName}'s. ` +
            'The patient signs for themself; correct the chart if the name is wrong.',
        );
      continue;
    }
    const user = s.userId ? input.users.find((u) => u.id === s.userId) : undefined;
    if (!user || !user.active)
      throw new RuleError(
        'consent.staff-signer',
        `${cap(where)} must be given by a staff member of this clinic who confirms with their ` +
          'own passphrase. Choose who signs, then confirm.',
      );
    const role = s.staffRole;
    if (!role || !user.roles.includes(role) || !SIGNER_STAFF_ROLES[s.role].includes(role))
      throw new RuleError(
        'consent.staff-role',
        `${user.displayName} cannot give ${where}: it needs a ` +
          `${SIGNER_STAFF_ROLES[s.role].map((r) => ROLE_LABELS[r].toLowerCase()).join(' or ')}.`,
      );
    if (s.name !== staffSignerName(user))
      throw new RuleError(
        'consent.staff-name',
        `${cap(where)} must carry ${user.displayName}'s name as the clinic records it.`,
      );
    if (!input.confirmed(user.id))
      throw new RuleError(
        'consent.staff-unconfirmed',
        `${user.displayName} has not confirmed ${where} with their passphrase. Ask them to ` +
          'confirm, then save again.',
      );
  }
}

const norm = (name: string) => name.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
