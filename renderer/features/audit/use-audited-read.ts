import { useEffect } from 'react';
import type { RecordKind } from '../../../shared/model';
import { useStore } from '../../app/app-state';

/**
 * Logs that the signed-in user opened one record (issue 18 point 3: who read which note, under
 * emergency access too — the store marks such reads). Once per record opened, after it was found
 * and allowed: a refused read is logged as a refusal instead.
 */
export function useAuditedRead(kind: RecordKind, id: string, patientId: string, loaded: boolean) {
  const store = useStore();
  useEffect(() => {
    if (loaded) void store.audit('view', { recordKind: kind, recordId: id, patientId });
  }, [store, kind, id, patientId, loaded]);
}
