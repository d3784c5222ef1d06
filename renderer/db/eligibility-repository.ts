/**
 * Eligibility evaluations (issue 4): drafted and signed by a prescriber. The signing rule
 * (everything answered, a decision) is checked here, not only in the form, so no path signs an
 * incomplete evaluation; dosing asks `patientEligibility` whether a current one says eligible.
 */
import {
  ClinicSettingsBody,
  EligibilityBody,
  type EligibilityEvaluation,
} from '../../shared/model';
import {
  assertEligibilityMaySign,
  contraindicationChecklist,
  currentEligibility,
  flagMedications,
  type CurrentEligibility,
} from '../../shared/rules/eligibility';
import { RuleError } from '../../shared/rules/errors';
import type { BodyOf, RecordStore } from './record-store';

export type EligibilityInput = Omit<BodyOf<'eligibility'>, 'patientId'>;

/** The clinic's settings record, or the defaults before an administrator saved any. */
export async function clinicSettings(store: RecordStore): Promise<ClinicSettingsBody> {
  const [stored] = await store.listKind('clinic-settings');
  return stored ?? ClinicSettingsBody.parse({ clinicName: 'Clinic' });
}

/** A new draft evaluation for the patient, dated now. */
export async function startEligibility(
  store: RecordStore,
  patientId: string,
  now = new Date(),
): Promise<EligibilityEvaluation> {
  if (!(await store.get('patient', patientId)))
    throw new RuleError('eligibility.no-patient', 'That patient could not be found.');
  return store.create(
    'eligibility',
    EligibilityBody.parse({ patientId, indication: 'trd', evaluatedAt: now.toISOString() }),
  );
}

/** Save the form into the draft; interacting medications are flagged from the built-in list. */
export async function saveEligibility(
  store: RecordStore,
  id: string,
  input: Partial<EligibilityInput>,
): Promise<EligibilityEvaluation> {
  return store.update('eligibility', id, () => ({
    ...input,
    ...(input.currentMedications
      ? { currentMedications: flagMedications(input.currentMedications) }
      : {}),
  }));
}

/** Sign after the caller re-checked the passphrase; refused while anything is unanswered. */
export async function signEligibility(
  store: RecordStore,
  id: string,
): Promise<EligibilityEvaluation> {
  const draft = await store.get('eligibility', id);
  if (!draft) throw new RuleError('not-found', 'That eligibility evaluation could not be found.');
  // The checklist is the clinic's as it stands now: an item added since the draft began must be
  // answered too, and the wording of the clinic's items is kept with the signed record.
  const additions = (await clinicSettings(store)).clinicContraindications;
  assertEligibilityMaySign(draft, contraindicationChecklist(additions));
  const contraindicationLabels = Object.fromEntries(additions.map((c) => [c.key, c.label]));
  if (JSON.stringify(draft.contraindicationLabels ?? {}) !== JSON.stringify(contraindicationLabels))
    await store.update('eligibility', id, () => ({ contraindicationLabels }));
  return store.sign('eligibility', id);
}

/** The patient's standing at `at` under the clinic's re-evaluation interval. */
export async function patientEligibility(
  store: RecordStore,
  patientId: string,
  at = new Date(),
): Promise<CurrentEligibility> {
  const [evaluations, settings] = await Promise.all([
    store.listByPatient('eligibility', patientId),
    clinicSettings(store),
  ]);
  return currentEligibility(evaluations, at, settings.eligibilityValidMonths, settings.timeZone);
}
