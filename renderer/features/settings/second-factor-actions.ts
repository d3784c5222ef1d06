/**
 * Adding and removing the signed-in member's security key: the browser's WebAuthn calls, then the
 * row re-sealed under the key they call for (renderer/db/second-factor.ts).
 */
import { toBase64Url } from '../../../shared/crypto/second-factor';
import { assertionProblem } from '../../../shared/crypto/webauthn-assertion';
import { toBase64 } from '../../../shared/util/bytes';
import { verifyPassphrase } from '../../db/auth';
import type { RecordStore } from '../../db/record-store';
import { SecondFactorError, replaceOwnFactor, securityKeyFactor } from '../../db/second-factor';
import { createSecurityKey, askSecurityKey } from '../../platform/webauthn';

const wrongPassphrase = () =>
  new SecondFactorError(
    'factor.wrong-passphrase',
    'That passphrase is not correct. Nothing was changed.',
  );

/** Returns whether the key helps open the member's keys (PRF) or is checked at sign-in only. */
export async function addSecurityKey(
  store: RecordStore,
  passphrase: string,
  label: string,
): Promise<{ sealsKeys: boolean }> {
  const { user } = store.session;
  if (!(await verifyPassphrase(store.db, user.id, passphrase))) throw wrongPassphrase();
  const made = await createSecurityKey({
    id: user.id,
    username: user.username,
    displayName: user.displayName,
  });
  // The key is used once right away: it proves it signs with the key it just gave, and gives
  // its PRF result over a fresh salt where it has the extension.
  const prfSalt = crypto.getRandomValues(new Uint8Array(32));
  const challenge = crypto.getRandomValues(new Uint8Array(32));
  const used = await askSecurityKey({
    credentialId: toBase64Url(made.credentialId),
    rpId: made.rpId,
    challenge,
    prfSalt: toBase64(prfSalt),
  });
  const problem = await assertionProblem(used.assertion, {
    publicKeySpki: toBase64(made.publicKeySpki),
    rpId: made.rpId,
    origin: location.origin,
    challenge,
  });
  if (problem)
    throw new SecondFactorError(
      'factor.bad-key',
      `The security key’s answer could not be checked (${problem}). Nothing was changed.`,
    );
  const factor = securityKeyFactor({
    ...made,
    prfSalt: used.prfOutput ? prfSalt : undefined,
    label,
  });
  await replaceOwnFactor(store.db, store.session, passphrase, {
    factor,
    prfOutput: used.prfOutput,
  });
  await store.audit('second-factor-changed', {
    detail: used.prfOutput ? 'Security key added (opens keys)' : 'Security key added',
  });
  return { sealsKeys: !!used.prfOutput };
}

export async function removeSecondFactor(store: RecordStore, passphrase: string) {
  await replaceOwnFactor(store.db, store.session, passphrase, undefined);
  await store.audit('second-factor-changed', { detail: 'Second factor removed' });
}
