/**
 * Staff signers of consent forms confirm with their own passphrase, checked here in the data
 * layer (not only by a dialog): signConsentForms refuses a witness or clinician signature whose
 * user did not confirm in this session within the last 30 minutes. Confirmations live in memory
 * with the record store, so locking or signing out forgets them.
 */
import type { SignerRole } from '../../shared/model';
import { ROLE_LABELS } from '../../shared/model';
import {
  SIGNER_STAFF_ROLES,
  signingRole,
  staffSignerName,
} from '../../shared/rules/consent-signers';
import { RuleError } from '../../shared/rules/errors';
import { verifyPassphrase } from './auth';
import type { RecordStore } from './record-store';

const CONFIRMATION_MS = 30 * 60_000;
const confirmations = new WeakMap<RecordStore, Map<string, number>>();

export type ConfirmedSigner = {
  userId: string;
  name: string;
  staffRole: NonNullable<ReturnType<typeof signingRole>>;
};

/**
 * A staff member confirms they sign in `place` (witness, clinician) with their own passphrase.
 * Returns the name and role the signature carries, or throws a RuleError in the clinic's words.
 */
export async function confirmSigner(
  store: RecordStore,
  input: { userId: string; place: Exclude<SignerRole, 'patient'>; passphrase: string },
): Promise<ConfirmedSigner> {
  const user = await store.get('user', input.userId);
  if (!user || !user.active)
    throw new RuleError('consent.staff-signer', 'Choose an active staff member of this clinic.');
  const staffRole = signingRole(user, input.place);
  if (!staffRole)
    throw new RuleError(
      'consent.staff-role',
      `${user.displayName} cannot sign as ${input.place}: that needs a ` +
        `${SIGNER_STAFF_ROLES[input.place].map((r) => ROLE_LABELS[r].toLowerCase()).join(' or ')}.`,
    );
  if (!(await store.db.keyring.get(user.id)))
    throw new RuleError(
      'consent.staff-unknown-here',
      `${user.displayName} has not signed in on this computer yet, so their passphrase cannot be ` +
        'checked here. Ask them to sign in once on this computer, or choose someone else.',
    );
  if (!(await verifyPassphrase(store.db, user.id, input.passphrase)))
    throw new RuleError(
      'consent.staff-passphrase',
      `That is not ${user.displayName}'s passphrase. Nothing was signed; try again.`,
    );
  let map = confirmations.get(store);
  if (!map) confirmations.set(store, (map = new Map()));
  map.set(user.id, Date.now() + CONFIRMATION_MS);
  return { userId: user.id, name: staffSignerName(user), staffRole };
}

/** Did this user confirm with their passphrase in this session, recently enough? */
export function isSignerConfirmed(store: RecordStore, userId: string): boolean {
  return (confirmations.get(store)?.get(userId) ?? 0) > Date.now();
}
