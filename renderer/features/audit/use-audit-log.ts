import { useLiveQuery } from 'dexie-react-hooks';
import { useStore } from '../../app/app-state';
import { type AuditFilter, listAuditEvents } from '../../db/audit-repository';

/** The filtered audit log, kept current as new events are written. */
export function useAuditLog(filter: AuditFilter) {
  const store = useStore();
  const key = JSON.stringify(filter);
  return useLiveQuery(() => listAuditEvents(store, filter), [store, key]);
}
