import { notifications } from '@mantine/notifications';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef } from 'react';
import { useStore } from '../../app/app-state';
import { emergencyUsesToReview } from '../../db/emergency-review';

/**
 * How many emergency accesses wait for an administrator's review: the count beside "Emergency
 * access review" in the navigation (issue 18 point 4: the use raises a notice on administrators'
 * computers). One that arrives while the administrator is signed in (from another computer,
 * through sync) also gets a notification.
 */
export function useEmergencyReviewCount(): number | undefined {
  const store = useStore();
  const count = useLiveQuery(() => emergencyUsesToReview(store), [store]);
  const seen = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (count === undefined) return;
    if (seen.current !== undefined && count > seen.current)
      notifications.show({
        id: 'emergency-review',
        color: 'red',
        message: `Someone used emergency access to a chart: ${count} waiting in Emergency access review.`,
        autoClose: 15_000,
      });
    seen.current = count;
  }, [count]);
  return count;
}
