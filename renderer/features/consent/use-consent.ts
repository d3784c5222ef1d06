/** Consent data for screens, as live queries (components never touch the database). */
import { useLiveQuery } from 'dexie-react-hooks';
import { latestTemplates } from '../../../shared/rules/consent';
import { livePackets } from '../../../shared/rules/consent-packets';
import { listPackets } from '../../db/consent-packets-repository';
import { patientPrograms } from '../../../shared/rules/programs';
import { patientConsentStatus } from '../../db/consent-repository';
import { useStore } from '../../app/app-state';
import { useRecordsOfKind } from '../../app/use-records';

/** The newest version of each template, by title. */
export function useCurrentTemplates() {
  const all = useRecordsOfKind('consent-template');
  return all && latestTemplates(all).sort((a, b) => a.title.localeCompare(b.title));
}

/** The clinic's packets (newest version of each program, retired ones included). */
export function usePackets() {
  const store = useStore();
  return useLiveQuery(() => listPackets(store), [store]);
}

/** The packets a patient can sign and a visit can be booked for. */
export function useLivePackets() {
  const packets = usePackets();
  return packets && livePackets(packets);
}

export function useSignedConsents(patientId: string) {
  const store = useStore();
  return useLiveQuery(
    async () =>
      (await store.listByPatient('signed-consent', patientId)).sort((a, b) =>
        b.signedAt.localeCompare(a.signedAt),
      ),
    [store, patientId],
  );
}

/** Status per program, re-read when consents, templates or packets change. */
export function useConsentStatus(patientId: string) {
  const store = useStore();
  return useLiveQuery(() => patientConsentStatus(store, patientId, new Date()), [store, patientId]);
}

/** The programs this patient is in (booked or signed for), the current one first. */
export function usePatientPrograms(patientId: string) {
  const store = useStore();
  return useLiveQuery(async () => {
    const [appointments, consents] = await Promise.all([
      store.listByPatient('appointment', patientId),
      store.listByPatient('signed-consent', patientId),
    ]);
    return patientPrograms({ appointments, consents, at: new Date() });
  }, [store, patientId]);
}
