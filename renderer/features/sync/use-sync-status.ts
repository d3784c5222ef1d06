import { useLiveQuery } from 'dexie-react-hooks';
import { useStore } from '../../app/app-state';
import { listHeld } from '../../db/sync-held';
import { openIssues, readSyncConfig } from '../../db/sync-state';
import { useSyncExternalStore } from 'react';
import { getSyncStatus, subscribeSyncStatus } from '../../sync/sync-runtime';

export const useSyncStatus = () => useSyncExternalStore(subscribeSyncStatus, getSyncStatus);

/** Where this device syncs, or null when it is not connected (undefined while loading). */
export function useSyncConfig() {
  const { db } = useStore();
  return useLiveQuery(async () => (await readSyncConfig(db)) ?? null, [db]);
}

export function useSyncIssues() {
  const { db } = useStore();
  return useLiveQuery(() => openIssues(db), [db]) ?? [];
}

/** Changes from other computers waiting to be applied (hold and retry), oldest first. */
export function useHeldChanges() {
  const { db } = useStore();
  return useLiveQuery(() => listHeld(db), [db]) ?? [];
}
