/** Consent data for screens, as live queries (components never touch the database). */
import { useLiveQuery } from 'dexie-react-hooks';
import { latestTemplates } from '../../../shared/rules/consent';
import { livePackets } from '../../../shared/rules/consent-packets';
import { listPackets } from '../../db/consent-packets-repository';
import type { TreatmentPlan } from '../../../shared/model';
import { patientPrograms } from '../../../shared/rules/programs';
import { currentPlan } from '../../../shared/rules/treatment-plan';
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
    const [appointments, consents, plans] = await Promise.all([
      store.listByPatient('appointment', patientId),
      store.listByPatient('signed-consent', patientId),
      store.canRead('treatment-plan')
        ? store.listByPatient('treatment-plan', patientId)
        : ([] as TreatmentPlan[]),
    ]);
    const planProgram = currentPlan(plans)?.program;
    return patientPrograms({ planProgram, appointments, consents, at: new Date() });
  }, [store, patientId]);
}
