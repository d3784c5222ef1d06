/** Test support: a member adds a PRF security key (a software authenticator) to her own row. */
import { softwareAuthenticator } from '../../shared/crypto/webauthn.fixtures';
import type { KatDatabase } from './database';
import { replaceOwnFactor, securityKeyFactor } from './second-factor';
import type { Session } from './session';

export async function addPrfSecurityKey(
  c: { db: KatDatabase; session: Session; passphrase: string },
  origin: string,
) {
  const key = await softwareAuthenticator('localhost', origin);
  const prfSalt = crypto.getRandomValues(new Uint8Array(32));
  await replaceOwnFactor(c.db, c.session, c.passphrase, {
    factor: securityKeyFactor({
      credentialId: key.credentialId,
      publicKeySpki: key.spki,
      rpId: 'localhost',
      prfSalt,
      label: 'Blue key',
    }),
    prfOutput: await key.prf(prfSalt),
  });
  return { key, prfSalt };
}
