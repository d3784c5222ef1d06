/**
 * The clinic's dosing thresholds (issue 15, deliverable 6): saved by an administrator only, each
 * change audited with the old and new value, and read by a dose through `doseSettings` so that a
 * signed dose keeps the thresholds it was signed under.
 */
import {
  ClinicSettingsBody,
  DOSING_SETTING_KEYS,
  DosingThresholds,
  type AppliedDosingSettings,
  type DoseBody,
  type DoseRecord,
} from '../../shared/model';
import { describeDosingChanges, pickDosingSettings } from '../../shared/rules/dosing';
import { assertCan } from '../../shared/rules/permissions';
import { clinicSettings } from './eligibility-repository';
import { ValidationError, type RecordStore } from './record-store';

/**
 * Save the dosing thresholds. Refused (and nothing changes) for anyone but an administrator and
 * for any value out of its bounds, with the setting and its range named. Returns what changed,
 * in words (empty when nothing did: no write, no audit event).
 */
export async function saveDosingSettings(
  store: RecordStore,
  input: unknown,
): Promise<{ changes: string[] }> {
  assertCan(store.roles, 'write', 'clinic-settings');
  const checked = DosingThresholds.safeParse(input);
  if (!checked.success) throw new ValidationError(checked.error.issues);
  // No time zone (or an empty choice) means each computer's own zone.
  const next: DosingThresholds = { ...checked.data };
  if (!next.timeZone) delete next.timeZone;
  const [stored] = await store.listKind('clinic-settings');
  const current = await clinicSettings(store);
  const changes = describeDosingChanges(pickDosingSettings(current), next);
  if (!changes.length) return { changes };
  const detail = `Dosing rules: ${changes.join('; ')}`;
  if (stored)
    await store.update(
      'clinic-settings',
      stored.id,
      () => ({ ...next, timeZone: next.timeZone }) as Partial<ClinicSettingsBody>,
      detail,
    );
  else await store.create('clinic-settings', { ...current, ...next }, 'create', undefined, detail);
  return { changes };
}

/**
 * Save the Clinic tab (name, address, phone, auto-lock, unsigned-note alert, the clinic's own
 * contraindications). The dosing rules are written only by saveDosingSettings, with its audit
 * detail: a Clinic form loaded before a dosing change (here or synced from another computer)
 * must not put the old thresholds back, silently and unaudited.
 */
export async function saveClinicDetails(store: RecordStore, values: ClinicSettingsBody) {
  const own: Partial<ClinicSettingsBody> = { ...values };
  for (const k of DOSING_SETTING_KEYS) delete own[k];
  const [stored] = await store.listKind('clinic-settings');
  if (stored) return store.update('clinic-settings', stored.id, () => own);
  return store.create('clinic-settings', { ...(await clinicSettings(store)), ...own });
}

/**
 * The thresholds a dose is judged by: those it was signed under, once signed; the clinic's as
 * they stand, while it is a draft.
 */
export async function doseSettings(
  store: RecordStore,
  dose: Partial<Pick<DoseBody, 'appliedSettings'>>,
): Promise<ClinicSettingsBody> {
  const current = await clinicSettings(store);
  return withApplied(current, dose.appliedSettings);
}

/** The thresholds a dose was signed under; none while it is a draft. */
export const signedUnder = (dose: Pick<DoseRecord, 'status' | 'appliedSettings'>) =>
  dose.status === 'signed' ? dose.appliedSettings : undefined;

/** The clinic's settings with a signed dose's own thresholds in place of the current ones. */
export function withApplied<S extends ClinicSettingsBody>(
  current: S,
  applied: AppliedDosingSettings | undefined,
): S {
  if (!applied) return current;
  const merged = { ...current, ...applied };
  if (applied.timeZone === undefined) delete merged.timeZone;
  return merged;
}
