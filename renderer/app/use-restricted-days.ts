import { useLiveQuery } from 'dexie-react-hooks';
import type { RecordKind } from '../../shared/model';
import { useStore } from './app-state';
import { restrictedDays } from '../db/break-glass';

/** Days on which this chart holds records the signed-in role may not read (see restrictedDays). */
export function useRestrictedDays(patientId: string) {
  const store = useStore();
  return useLiveQuery(() => restrictedDays(store, patientId), [store, patientId]);
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
