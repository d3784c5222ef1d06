/** What the patient banner shows, as one live query (components never touch the database). */
import { useLiveQuery } from 'dexie-react-hooks';
import type { OutcomeMeasure, Patient, TreatmentPlan } from '../../../shared/model';
import { type ConsentState, consentStatus } from '../../../shared/rules/consent';
import { type ChartAlert, chartAlerts } from '../../../shared/rules/measures';
import { patientPrograms } from '../../../shared/rules/programs';
import { currentPlan } from '../../../shared/rules/treatment-plan';
import { useStore } from '../../app/app-state';
import { programName } from '../../../shared/rules/consent-packets';
import { listPackets } from '../../db/consent-packets-repository';
import type { RecordStore } from '../../db/record-store';

export type PatientBannerData = {
  patient: Patient;
  /** The current program's name and its consent status; undefined when the patient is in none. */
  program?: { key: string; name: string; consent: ConsentState };
  /** Open suicide-risk alerts; undefined when this role does not read measures. */
  alerts?: ChartAlert[];
};

export function usePatientBanner(patientId: string): PatientBannerData | null | undefined {
  const store = useStore();
  return useLiveQuery(() => patientBannerData(store, patientId), [store, patientId]);
}

/** The banner's data, read for the signed-in user's role. */
export async function patientBannerData(
  store: RecordStore,
  patientId: string,
): Promise<PatientBannerData | null> {
  const patient = await store.get('patient', patientId);
  if (!patient) return null;
  const [consents, appointments, templates, packets, measures, plans] = await Promise.all([
    store.listByPatient('signed-consent', patientId),
    store.listByPatient('appointment', patientId),
    store.listKind('consent-template'),
    listPackets(store),
    // Roles that do not read measures (front office) do not see risk alerts here either; not
    // asked at all, so opening a chart is not logged as a refused access (it was, each time).
    store.mayReadChart('measure', patientId)
      ? store.listByPatient('measure', patientId)
      : (undefined as OutcomeMeasure[] | undefined),
    store.canRead('treatment-plan')
      ? store.listByPatient('treatment-plan', patientId)
      : ([] as TreatmentPlan[]),
  ]);
  const now = new Date();
  const planProgram = currentPlan(plans)?.program;
  const [key] = patientPrograms({ planProgram, appointments, consents, at: now });
  const program = key
    ? {
        key,
        name: programName(packets, key),
        consent: consentStatus({ consents, templates, packets, program: key, at: now }).status,
      }
    : undefined;
  return { patient, program, alerts: measures && chartAlerts(measures) };
}
