/** Consent data for screens, as live queries (components never touch the database). */
import { useLiveQuery } from 'dexie-react-hooks';
import { latestTemplates } from '../../../shared/rules/consent';
import { patientConsentStatus } from '../../db/consent-repository';
import { useStore } from '../../app/app-state';
import { useRecordsOfKind } from '../../app/use-records';

/** The newest version of each template, by title. */
export function useCurrentTemplates() {
  const all = useRecordsOfKind('consent-template');
  return all && latestTemplates(all).sort((a, b) => a.title.localeCompare(b.title));
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

/** Status per program, re-read when consents or templates change. */
export function useConsentStatus(patientId: string) {
  const store = useStore();
  return useLiveQuery(() => patientConsentStatus(store, patientId, new Date()), [store, patientId]);
}
