/** The signed-in member as a signer of chain statements, keyring rows and records. */
import { RuleError } from '../../shared/rules/errors';
import type { ChainSigner } from '../../shared/trust/sign';
import type { Session } from '../db/session';

export function signerOf(session: Session): ChainSigner {
  const key = session.identity?.signing?.privateKey;
  if (!key)
    throw new RuleError(
      'trust.no-signing-key',
      'Your sign-in has no signing key yet. Sign out and in again, then try again. Nothing was changed.',
    );
  return { userId: session.user.id, signingKey: key };
}
