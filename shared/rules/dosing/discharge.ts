/**
 * Discharge completeness: a dose record cannot be signed until the patient's discharge is fully
 * documented (issue 4). Esketamine: observe at least 2 hours after the dose, and no driving until
 * the next day after restful sleep (Spravato PI, Warnings: impaired ability to drive; Spravato REMS).
 */
import type { DoseBody } from '../../model/dose';
import { minutesBetween } from './clinic-day';
import {
  ESKETAMINE_OBSERVATION_MINUTES,
  PRE_DISCHARGE_WINDOW_MINUTES,
  POST_DOSE_WINDOW_MINUTES,
  doseGivenAt,
  hasPreDischargeReading,
  postDoseReading,
} from './vitals';

type DischargeInput = Pick<
  DoseBody,
  'medication' | 'discharge' | 'administeredAt' | 'infusionStart' | 'vitals'
> &
  Partial<Pick<DoseBody, 'observations'>>;

/** The earliest an esketamine patient may leave (dose + 2 h); undefined until the dose is given. */
export function earliestDischargeAt(dose: DischargeInput): string | undefined {
  const givenAt = doseGivenAt(dose);
  if (dose.medication !== 'esketamine-nasal' || !givenAt) return undefined;
  return new Date(Date.parse(givenAt) + ESKETAMINE_OBSERVATION_MINUTES * 60_000).toISOString();
}

/** What is still missing before discharge is complete, in plain words; empty when complete. */
export function dischargeMissing(dose: DischargeInput): string[] {
  const d = dose.discharge;
  if (!d) return ['Record the discharge: time, criteria met, and the escort or transport home'];
  const missing: string[] = [];
  if (!d.vitalsNearBaseline) missing.push('Confirm vital signs are back near baseline');
  if (!d.sedationResolved) missing.push('Confirm sedation has resolved');
  if (!d.dissociationResolved) missing.push('Confirm dissociation has resolved');
  if (!d.alertAndOriented) missing.push('Confirm the patient is alert and oriented');
  if (!d.escortName?.trim() && !d.transport?.trim())
    missing.push('Name the escort or the transport home');
  const givenAt = doseGivenAt(dose);
  if (givenAt && Date.parse(d.at) < Date.parse(givenAt))
    missing.push('The discharge time is before the dose — check the times');
  if (dose.medication !== 'esketamine-nasal') return missing;

  if (!givenAt) missing.push('Record when the esketamine dose was given');
  else {
    const observed = minutesBetween(givenAt, d.at);
    if (observed < ESKETAMINE_OBSERVATION_MINUTES)
      missing.push(
        `Esketamine needs at least ${ESKETAMINE_OBSERVATION_MINUTES} minutes of observation after ` +
          `the dose; the discharge time is only ${Math.floor(observed)} minutes after it`,
      );
    const [from, to] = POST_DOSE_WINDOW_MINUTES;
    if (!postDoseReading(dose.vitals, givenAt))
      missing.push(
        `Record the blood pressure about 40 minutes after the dose (taken ${from}–${to} minutes ` +
          'after it; Spravato label)',
      );
    if (!hasPreDischargeReading(dose.vitals, givenAt, d.at))
      missing.push(
        `Take and record blood pressure before discharge (in the ${PRE_DISCHARGE_WINDOW_MINUTES} ` +
          'minutes up to the discharge time)',
      );
    // Spravato REMS Patient Monitoring Form: sedation and dissociation assessed after the dose.
    const after = (dose.observations ?? []).filter((o) => Date.parse(o.at) >= Date.parse(givenAt));
    if (!after.some((o) => o.moaas !== undefined))
      missing.push('Record a sedation score (MOAA/S) after the dose');
    if (!after.some((o) => o.cadss !== undefined))
      missing.push('Record a dissociation score (CADSS or the clinic short form) after the dose');
  }
  if (!d.noDrivingInstructionGiven)
    missing.push(
      'Give and record the instruction: no driving until the next day after restful sleep',
    );
  return missing;
}
