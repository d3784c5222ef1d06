/**
 * An administrator confirms a colleague's new identity keys (set with the recovery key on their
 * own computer): both screens show `memberFingerprint(root, user, keys)` — the colleague's in
 * Settings → Clinic server, the administrator's next to "Colleagues waiting to be added" — and the
 * administrator confirms only when the digits match, which appends a `replace-keys` statement
 * (shared/trust/README.md, "Humans verify what the server could fake"). The keys come from the
 * keyring row this computer holds, which the server could have swapped: the digits are the proof.
 */
import { RuleError } from '../../shared/rules/errors';
import { currentMember } from '../../shared/trust/chain-state';
import { memberFingerprint } from '../../shared/trust/fingerprint';
import type { RecordStore } from '../db/record-store';
import { appendStatements } from './chain-client';
import { proposedKeys } from './pending-keys';
import { signerOf } from './signer';

/**
 * Appends `replace-keys` for `userId` with the keys their row holds here, when they are still
 * the ones whose digits the administrator compared (`shown`). Nothing happens when the chain
 * already names them.
 */
export async function confirmMemberKeys(store: RecordStore, userId: string, shown: string) {
  if (!store.session.user.roles.includes('administrator'))
    throw new RuleError(
      'trust.admin-only',
      'Only an administrator can confirm a colleague’s keys. Nothing was changed.',
    );
  await appendStatements(store.db, signerOf(store.session), async (state) => {
    const member = state && currentMember(state, userId);
    if (!state || !member?.active) return [];
    // Their row here, or the keys their own computer put on the server (pending-keys.ts).
    const keys = await proposedKeys(store.db, userId, member.keys);
    if (!keys) return [];
    if ((await memberFingerprint(state.rootHash, userId, keys)) !== shown)
      throw new RuleError(
        'trust.keys-changed',
        'This colleague’s keys changed while you compared the numbers. Compare the new numbers. ' +
          'Nothing was changed.',
      );
    return [{ kind: 'replace-keys', userId, keys }];
  });
}
