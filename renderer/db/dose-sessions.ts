/**
 * The dosing sessions in progress (issue 15, deliverable 5): in-office doses given and not yet
 * discharged or signed, for the app-wide "vitals due" badge and notification. Only unsigned
 * doses are read (the [kind+status] index), so a clinic's years of signed doses are not
 * decrypted on every change. Users who may not read doses see none.
 */
import { patientDisplayName, type DoseRecord } from '../../shared/model';
import { openSessions } from '../../shared/rules/dosing';
import type { RecordStore } from './record-store';

export type OpenSession = { dose: DoseRecord; patientName: string };

export async function openDoseSessions(store: RecordStore): Promise<OpenSession[]> {
  if (!store.canRead('dose')) return [];
  const sessions = openSessions(await store.listKindInStatus('dose', 'draft'));
  return Promise.all(
    sessions.map(async (dose) => {
      const patient = store.canRead('patient') ? await store.get('patient', dose.patientId) : null;
      return { dose, patientName: patient ? patientDisplayName(patient) : 'Patient' };
    }),
  );
}
