import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from '../../app/app-state';
import { usePatientIndex } from '../../app/use-records';
import {
  type AuditEntry,
  type AuditFilter,
  type PatientNames,
  listAuditEvents,
  newestAuditEvents,
} from '../../db/audit-repository';

/** Rows read before the first draw: a screen and a half of them, scrolled or not. */
export const FIRST_AUDIT_PAGE = 100;

export type AuditLogView = {
  /** The newest events, newest first: the first page, or every event once `all` is read. */
  newest: AuditEntry[];
  /**
   * Every event matching the filter, once read (sorting by another column and exports need it;
   * how many there are is known then too).
   */
  all?: AuditEntry[];
  /** The filter changed and its events are not read yet: what shows is the last filter's. */
  stale: boolean;
};

/**
 * The filtered audit log, kept current as new events are written. The newest page is read by
 * index and returned at once; the rest is read after that page is on screen (issue 20: at
 * 119,100 events the log took 2.4 s to show its first row because it read them all first).
 * Nothing is read until `ready`.
 */
export function useAuditLog(filter: AuditFilter, ready = true): AuditLogView | undefined {
  const store = useStore();
  const patients = usePatientIndex();
  const key = JSON.stringify(filter);
  // The filter on screen: a whole-period read for another one stops at its next step.
  const shown = useRef(key);
  shown.current = key;
  // The names the patient list already holds, instead of decrypting every patient again.
  const names: PatientNames = useMemo(
    () => (id) => {
      const p = patients.get(id);
      return p && `${p.lastName}, ${p.firstName}`;
    },
    [patients, patients.version],
  );
  const first = useLiveQuery(
    async () =>
      ready
        ? { key, ...(await newestAuditEvents(store, filter, FIRST_AUDIT_PAGE, names)) }
        : undefined,
    [store, key, names, ready],
  );
  const current = first?.key === key ? first : undefined;
  const restToRead = !!current && current.total === undefined;
  const [allowed, setAllowed] = useState<string>();
  useEffect(() => {
    if (!restToRead || allowed === key) return;
    // After the next frame, so the first page is drawn before the rest is read and described.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setAllowed(key))));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [restToRead, allowed, key]);
  const readAll = restToRead && allowed === key;
  const whole = useLiveQuery(
    async () =>
      readAll
        ? {
            key,
            entries: await listAuditEvents(store, filter, names, () => shown.current === key),
          }
        : undefined,
    [store, key, names, readAll],
  );
  if (!first) return undefined;
  const all =
    first.total !== undefined
      ? first.entries
      : whole?.key === first.key
        ? whole.entries
        : undefined;
  return { newest: all ?? first.entries, all, stale: !current };
}
