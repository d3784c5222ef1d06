/** Feature hooks read records through these; components never touch the database. */
import { useLiveQuery } from 'dexie-react-hooks';
import { useSyncExternalStore } from 'react';
import { ClinicSettingsBody, type RecordKind, type RecordOfKind } from '../../shared/model';
import { useAppState, useStore } from './app-state';

export function useRecord<K extends RecordKind>(kind: K, id: string | undefined) {
  const store = useStore();
  return useLiveQuery(
    async () => (id ? ((await store.get(kind, id)) ?? null) : null),
    [store, kind, id],
  );
}

export function useRecordsOfKind<K extends RecordKind>(kind: K): RecordOfKind<K>[] | undefined {
  const store = useStore();
  return useLiveQuery(() => store.listKind(kind), [store, kind]);
}

export function usePatientRecords(patientId: string) {
  const store = useStore();
  return useLiveQuery(() => store.patientRecords(patientId), [store, patientId]);
}

/** The clinic's settings, with defaults while the record loads or before an admin saved any. */
export function useClinicSettings() {
  const records = useRecordsOfKind('clinic-settings');
  const { clinic } = useAppState();
  return (
    records?.[0] ?? {
      ...ClinicSettingsBody.parse({ clinicName: clinic?.clinicName ?? 'Clinic' }),
      id: undefined,
    }
  );
}

/** Re-renders when the in-memory patient index changes. */
export function usePatientIndex() {
  const { patients } = useAppState();
  useSyncExternalStore(
    (l) => patients?.subscribe(l) ?? (() => {}),
    () => patients?.version ?? 0,
  );
  if (!patients) throw new Error('No one is signed in');
  return patients;
}
