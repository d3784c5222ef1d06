/** Feature hooks read records through these; components never touch the database. */
import { useLiveQuery } from 'dexie-react-hooks';
import {
  type ReactNode,
  createContext,
  createElement,
  useContext,
  useMemo,
  useSyncExternalStore,
} from 'react';
import {
  type AnyRecord,
  ClinicSettingsBody,
  type RecordKind,
  type RecordOfKind,
} from '../../shared/model';
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

type Shared = {
  patientId: string;
  records: AnyRecord[] | undefined;
  /** Days with records this role may not read (use-restricted-days.ts), from the same read. */
  restricted: Map<string, Set<RecordKind>> | undefined;
};
const SharedPatientRecords = createContext<Shared | null>(null);

/**
 * One live read of a patient's records for everything inside (the chart: its course and the
 * panels beside it). Issue 20: opening a chart read and decrypted every record of the patient six
 * times over, once for the course and once for each panel, before the course could be drawn.
 */
export function PatientRecordsProvider({
  patientId,
  children,
}: {
  patientId: string;
  children: ReactNode;
}) {
  const store = useStore();
  const chart = useLiveQuery(() => store.patientChart(patientId), [store, patientId]);
  const value = useMemo(
    () => ({ patientId, records: chart?.records, restricted: chart?.restricted }),
    [patientId, chart],
  );
  return createElement(SharedPatientRecords.Provider, { value }, children);
}

/** The screen's shared read of this patient's chart, if it has one. */
export function useSharedPatientChart(patientId: string): Shared | undefined {
  const shared = useContext(SharedPatientRecords);
  return shared?.patientId === patientId ? shared : undefined;
}

/** Everything of one patient the user may read, newest first: the screen's shared read if any. */
export function usePatientRecords(patientId: string) {
  const store = useStore();
  const shared = useContext(SharedPatientRecords);
  const mine = shared?.patientId === patientId;
  const own = useLiveQuery(
    () => (mine ? undefined : store.patientRecords(patientId)),
    [store, patientId, mine],
  );
  return mine ? shared.records : own;
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
