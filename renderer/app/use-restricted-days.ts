import { useLiveQuery } from 'dexie-react-hooks';
import type { RecordKind } from '../../shared/model';
import { useStore } from './app-state';
import { useSharedPatientChart } from './use-records';
import { restrictedDays } from '../db/break-glass';

/**
 * Days on which this chart holds records the signed-in role may not read (see restrictedDays):
 * inside a PatientRecordsProvider, from its read, which brings them with the records.
 */
export function useRestrictedDays(patientId: string) {
  const store = useStore();
  const shared = useSharedPatientChart(patientId);
  const own = useLiveQuery(
    () => (shared ? undefined : restrictedDays(store, patientId)),
    [store, patientId, !!shared],
  );
  return shared ? shared.restricted : own;
}

/** "Restricted note" for a visit on a day with records hidden from this role, else undefined. */
export function restrictedLabel(
  days: Map<string, Set<RecordKind>> | undefined,
  start: string,
): string | undefined {
  const kinds = days?.get(start.slice(0, 10));
  if (!kinds?.size) return undefined;
  if (kinds.has('note')) return 'Restricted note';
  return 'Restricted record';
}
