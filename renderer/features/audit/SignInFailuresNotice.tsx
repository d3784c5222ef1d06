import { Alert, List, Text } from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import { repeatedSignInFailures } from '../../db/sign-in-failures';

/** Administrators: who failed to sign in 3 or more times in the last day (issue 18 point 6). */
export function SignInFailuresNotice() {
  const failures = useRepeatedSignInFailures();
  if (!failures?.length) return null;
  return (
    <Alert color="orange" title="Repeated failed sign-ins in the last 24 hours" role="status">
      <List size="sm" spacing={2}>
        {failures.map((f) => (
          <List.Item key={f.userId || 'unknown'}>
            {f.userName}: {f.count} failed tries on {f.devices} computer{f.devices === 1 ? '' : 's'}
            , the last {formatDateTime(f.lastAt)}
          </List.Item>
        ))}
      </List>
      <Text size="sm" mt="xs">
        If this was not the person forgetting their passphrase, someone may be guessing: ask them,
        and remove a lost computer under Settings → Clinic server. Filter the log below by “Failed
        sign-in” for each try.
      </Text>
    </Alert>
  );
}

export function useRepeatedSignInFailures() {
  const store = useStore();
  return useLiveQuery(() => repeatedSignInFailures(store), [store]);
}

/** The count beside "Audit log" in an administrator's navigation. */
export function useSignInFailureCount(): number | undefined {
  return useRepeatedSignInFailures()?.length;
}
