/** The clinic's second-factor rule and whether the signed-in member must still add one. */
import { useLiveQuery } from 'dexie-react-hooks';
import { useStore } from '../../app/app-state';
import { chainStateOf } from '../../trust/chain-store';
import {
  type SecondFactorPolicy,
  mustAddSecondFactor,
  policyOf,
} from '../../trust/second-factor-policy';

export function useSecondFactorPolicy(): SecondFactorPolicy | undefined {
  const store = useStore();
  return useLiveQuery(async () => policyOf(await chainStateOf(store.db)), [store]);
}

/** Undefined while reading; re-read when the chain or the member's keyring row changes. */
export function useMustAddSecondFactor(): boolean | undefined {
  const store = useStore();
  const { id, roles } = store.session.user;
  return useLiveQuery(() => mustAddSecondFactor(store.db, id, roles), [store, id, roles.join()]);
}
