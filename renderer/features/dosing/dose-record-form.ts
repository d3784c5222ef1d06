/**
 * The dose record's editable fields as one autosaved form (issue 15, deliverable 5: one autosave
 * for the whole record instead of a Save button per card). The start of administration is not
 * among them: recording it is an explicit, gated action (DoseDetailsCard, updateDose).
 */
import type { DoseBody, DoseRecord, Medication, Route } from '../../../shared/model';
import { volumeMl } from '../../../shared/rules/dosing';
import { errorMessage } from '../../app/format';
import { updateDose } from '../../db/dose-repository';
import type { RecordStore } from '../../db/record-store';
import { fromLocalInput, toLocalInput } from './dose-form';

export type DoseForm = {
  medication: Medication;
  route: Route;
  doseMg?: number;
  weightKg?: number;
  weightMeasuredOn: string;
  concentrationMgPerMl?: number;
  initialRateMgPerHour?: number;
  infusionEnd: string;
  lotId: string | null;
  administeredBy: string;
  dischargedAt: string;
  vitalsNearBaseline: boolean;
  sedationResolved: boolean;
  dissociationResolved: boolean;
  alertAndOriented: boolean;
  noDrivingInstructionGiven: boolean;
  escortName: string;
  transport: string;
};

export type DoseField = keyof DoseForm;

/** The record's fields in the form's shape (what "saved" means for each of them). */
export function doseFormOf(d: DoseRecord): DoseForm {
  const x = d.discharge;
  return {
    medication: d.medication,
    route: d.route,
    doseMg: d.doseMg,
    weightKg: d.weightKg,
    weightMeasuredOn: d.weightMeasuredOn ?? '',
    concentrationMgPerMl: d.concentrationMgPerMl,
    initialRateMgPerHour: d.initialRateMgPerHour,
    infusionEnd: toLocalInput(d.infusionEnd),
    lotId: d.lotId ?? null,
    administeredBy: d.administeredBy,
    dischargedAt: toLocalInput(x?.at),
    vitalsNearBaseline: x?.vitalsNearBaseline ?? false,
    sedationResolved: x?.sedationResolved ?? false,
    dissociationResolved: x?.dissociationResolved ?? false,
    alertAndOriented: x?.alertAndOriented ?? false,
    noDrivingInstructionGiven: x?.noDrivingInstructionGiven ?? false,
    escortName: x?.escortName ?? '',
    transport: x?.transport ?? '',
  };
}

export const DISCHARGE_FIELDS = [
  'dischargedAt',
  'vitalsNearBaseline',
  'sedationResolved',
  'dissociationResolved',
  'alertAndOriented',
  'noDrivingInstructionGiven',
  'escortName',
  'transport',
] as const satisfies readonly DoseField[];

/**
 * One change to the record per form field that differs from it, each with the record fields it
 * writes (a dose or concentration also sets the volume to draw up; a route moves the recorded
 * start to the field that route uses, at the same instant, so it is not a new start).
 */
export function doseChanges(form: DoseForm, d: DoseRecord): [DoseField, Partial<DoseBody>][] {
  const stored = doseFormOf(d);
  const differs = (k: DoseField) => JSON.stringify(form[k]) !== JSON.stringify(stored[k]);
  const volume = () =>
    form.doseMg && form.concentrationMgPerMl
      ? volumeMl(form.doseMg, form.concentrationMgPerMl)
      : undefined;
  const start = d.infusionStart ?? d.administeredAt;
  const one: {
    [K in Exclude<DoseField, (typeof DISCHARGE_FIELDS)[number]>]: () => Partial<DoseBody>;
  } = {
    medication: () => ({ medication: form.medication }),
    route: () => ({
      route: form.route,
      ...(form.route === 'iv-infusion'
        ? { infusionStart: start, administeredAt: undefined }
        : { administeredAt: start, infusionStart: undefined }),
    }),
    doseMg: () => ({ doseMg: form.doseMg, volumeMl: volume() }),
    weightKg: () => ({ weightKg: form.weightKg }),
    weightMeasuredOn: () => ({ weightMeasuredOn: form.weightMeasuredOn || undefined }),
    concentrationMgPerMl: () => ({
      concentrationMgPerMl: form.concentrationMgPerMl,
      volumeMl: volume(),
    }),
    initialRateMgPerHour: () => ({ initialRateMgPerHour: form.initialRateMgPerHour }),
    infusionEnd: () => ({ infusionEnd: fromLocalInput(form.infusionEnd) }),
    // A lot is chosen, never cleared by the form (the log entry is made from it at signing).
    lotId: () => (form.lotId ? { lotId: form.lotId } : {}),
    administeredBy: () => ({ administeredBy: form.administeredBy }),
  };
  const changes: [DoseField, Partial<DoseBody>][] = [];
  for (const [k, change] of Object.entries(one) as [DoseField, () => Partial<DoseBody>][])
    if (differs(k)) changes.push([k, change()]);
  const discharge = DISCHARGE_FIELDS.filter(differs);
  if (discharge.length) {
    const at = fromLocalInput(form.dischargedAt);
    // Kept off the record until its time is given: a discharge in the record ends the session
    // (no more vitals reminders), which a first ticked criterion must not do.
    if (at)
      changes.push([
        discharge[0]!,
        {
          discharge: {
            at,
            vitalsNearBaseline: form.vitalsNearBaseline,
            sedationResolved: form.sedationResolved,
            dissociationResolved: form.dissociationResolved,
            alertAndOriented: form.alertAndOriented,
            noDrivingInstructionGiven: form.noDrivingInstructionGiven,
            escortName: form.escortName.trim() || undefined,
            transport: form.transport.trim() || undefined,
          },
        },
      ]);
  }
  return changes;
}

/** Refusals by the field they concern, each in the repository's own words. */
export class DoseFieldsRefused extends Error {
  constructor(readonly refused: Partial<Record<DoseField, string>>) {
    super(Object.values(refused).join(' '));
    this.name = 'DoseFieldsRefused';
  }
}

/**
 * Saves what differs from the record in one write; if the repository refuses it, field by field,
 * so that one refused value (an expired lot…) neither holds back the others nor goes unsaid.
 * Throws DoseFieldsRefused naming each refused field.
 */
export async function saveDoseForm(
  store: RecordStore,
  id: string,
  form: DoseForm,
): Promise<DoseForm> {
  const current = await store.get('dose', id);
  if (!current) throw new Error('That dose record could not be found.');
  const changes = doseChanges(form, current);
  const refused: Partial<Record<DoseField, string>> = {};
  if (changes.length) {
    try {
      await updateDose(store, id, Object.assign({}, ...changes.map(([, c]) => c)));
    } catch {
      for (const [field, change] of changes)
        try {
          await updateDose(store, id, change);
        } catch (e) {
          refused[field] = errorMessage(e);
        }
    }
  }
  if (Object.keys(refused).length) throw new DoseFieldsRefused(refused);
  const after = await store.get('dose', id);
  return after ? doseFormOf(after) : form;
}

/**
 * Discharge fields typed with no discharge time: kept on screen and in the draft, not in the
 * record (a discharge in the record ends the session's reminders; a first tick must not).
 */
export function dischargeHeld(form: DoseForm, d: DoseRecord): boolean {
  if (fromLocalInput(form.dischargedAt)) return false;
  const stored = doseFormOf(d);
  return DISCHARGE_FIELDS.some((k) => JSON.stringify(form[k]) !== JSON.stringify(stored[k]));
}
