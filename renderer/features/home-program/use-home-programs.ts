/** Live at-home programs of a patient, and words for a prescription. */
import { useLiveQuery } from 'dexie-react-hooks';
import type { HomePrescription } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { homePrograms } from '../../db/home-program-repository';

export function useHomePrograms(patientId: string | undefined) {
  const store = useStore();
  return useLiveQuery(
    async () =>
      patientId && store.canRead('home-prescription') ? homePrograms(store, patientId) : [],
    [store, patientId],
  );
}

export const FORM_LABELS: Record<HomePrescription['form'], string> = {
  'sublingual-troche': 'sublingual troche',
  'oral-tablet': 'oral tablet',
};

/** "Ketamine 200 mg sublingual troche, 4 dispensed, 4 sessions" */
export function describePrescription(p: HomePrescription): string {
  const form = FORM_LABELS[p.form];
  return (
    `Ketamine ${p.strengthMg} mg ${form}, ${p.quantity} dispensed, ` +
    `${p.sessionsAllowed} session${p.sessionsAllowed === 1 ? '' : 's'}`
  );
}
