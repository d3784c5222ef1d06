/** Live eligibility standing for a patient (re-reads when any record changes). */
import { useLiveQuery } from 'dexie-react-hooks';
import { useStore } from '../../app/app-state';
import { patientEligibility } from '../../db/eligibility-repository';

export function usePatientEligibility(patientId: string) {
  const store = useStore();
  return useLiveQuery(() => patientEligibility(store, patientId), [store, patientId]);
}
