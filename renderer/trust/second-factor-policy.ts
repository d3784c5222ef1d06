/**
 * The clinic's second-factor rule, as an administrator-signed statement in the membership chain
 * (shared/trust/README.md, `second-factor-policy`): a hostile server can withhold it but not
 * switch it off or change it. No statement yet: optional.
 */
import type { Role } from '../../shared/model';
import { RuleError } from '../../shared/rules/errors';
import type { ChainState } from '../../shared/trust/chain-state';
import type { KatDatabase } from '../db/database';
import type { RecordStore } from '../db/record-store';
import type { UserKeys } from '../sync/clinic-keys';
import { appendStatements } from './chain-client';
import { chainStateOf } from './chain-store';
import { signerOf } from './signer';

export type SecondFactorMode = 'off' | 'optional' | 'required';
export type SecondFactorPolicy = { mode: SecondFactorMode; roles: Role[] };

export const policyOf = (chain: ChainState | undefined): SecondFactorPolicy =>
  chain?.secondFactor
    ? { mode: chain.secondFactor.mode, roles: chain.secondFactor.roles }
    : { mode: 'optional', roles: [] };

/** True when the clinic requires a second factor of someone holding `roles`. */
export const requiredFor = (policy: SecondFactorPolicy, roles: readonly Role[]) =>
  policy.mode === 'required' && roles.some((r) => policy.roles.includes(r));

/**
 * True when this member must add a second factor before working: the rule asks it of one of
 * their roles (as the chain gives them) and their keyring row has none.
 */
export async function mustAddSecondFactor(
  db: KatDatabase,
  userId: string,
  roles: readonly Role[],
): Promise<boolean> {
  // The row first: a live query sees only the reads made before the chain's signature checks
  // (WebCrypto promises leave Dexie's zone), and it must see the member add their factor.
  const row = (await db.keyring.get(userId)) as UserKeys | undefined;
  if (row?.factor) return false;
  return requiredFor(policyOf(await chainStateOf(db)), roles);
}

/** An administrator sets the rule; it is signed and appended to the chain (and the server's). */
export async function setSecondFactorPolicy(store: RecordStore, policy: SecondFactorPolicy) {
  if (!store.roles.includes('administrator'))
    throw new RuleError(
      'permission.denied',
      'Only an administrator can set the clinic’s rule for a second factor.',
    );
  if (policy.mode === 'required' && policy.roles.length === 0)
    throw new RuleError(
      'factor.no-roles',
      'Choose at least one role that must use a second factor. Nothing was changed.',
    );
  const roles = policy.mode === 'required' ? policy.roles : [];
  await appendStatements(store.db, signerOf(store.session), () => [
    { kind: 'second-factor-policy', mode: policy.mode, roles },
  ]);
}
