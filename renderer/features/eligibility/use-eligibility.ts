/** Live eligibility standing for a patient (re-reads when any record changes). */
import { useLiveQuery } from 'dexie-react-hooks';
import { useStore } from '../../app/app-state';
import { patientEligibility } from '../../db/eligibility-repository';

/** `null` when the signed-in role may not read eligibility evaluations (nothing to show). */
export function usePatientEligibility(patientId: string) {
  const store = useStore();
  return useLiveQuery(
    async () => (store.canRead('eligibility') ? patientEligibility(store, patientId) : null),
    [store, patientId],
  );
}
