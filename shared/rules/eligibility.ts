/**
 * Eligibility evaluation before the first dose: what must be answered before it is signed, which
 * current medications matter, the contraindication checklist, and whether a patient is currently
 * eligible. Dosing is refused without a signed "eligible" evaluation within the clinic's interval
 * (issue 4; setting eligibilityValidMonths).
 */
import type { EligibilityBody, EligibilityEvaluation } from '../model/eligibility';
import { RuleError } from './errors';
import { addMonths, clinicDay, clinicTime, type CalendarDate } from './dosing/clinic-day';

export type MedicationFlag = NonNullable<EligibilityBody['currentMedications'][number]['flag']>;

/**
 * Common generic and US brand names → flag. Benzodiazepines, other CNS depressants and opioids add
 * to ketamine's sedation and respiratory depression; psychostimulants and MAOIs raise blood
 * pressure (Spravato PI, Drug Interactions). The list is short on purpose: the prescriber can flag
 * anything else by hand, and a hand-set flag is never cleared.
 */
const FLAGGED_NAMES: Record<MedicationFlag, string> = {
  benzodiazepine:
    'alprazolam xanax lorazepam ativan clonazepam klonopin diazepam valium temazepam restoril ' +
    'chlordiazepoxide librium oxazepam clorazepate tranxene midazolam triazolam halcion',
  sedative:
    'zolpidem ambien eszopiclone lunesta zaleplon sonata phenobarbital butalbital carisoprodol ' +
    'soma gabapentin neurontin pregabalin lyrica oxybate xyrem',
  stimulant:
    'amphetamine dextroamphetamine adderall lisdexamfetamine vyvanse methylphenidate ritalin ' +
    'concerta dexmethylphenidate focalin modafinil provigil armodafinil nuvigil ' +
    'methamphetamine desoxyn',
  maoi: 'phenelzine nardil tranylcypromine parnate isocarboxazid marplan selegiline emsam rasagiline azilect',
  opioid:
    'oxycodone oxycontin percocet hydrocodone norco vicodin morphine hydromorphone dilaudid ' +
    'fentanyl codeine tramadol ultram tapentadol nucynta methadone buprenorphine suboxone ' +
    'subutex oxymorphone',
};

const FLAG_BY_NAME = new Map<string, MedicationFlag>(
  Object.entries(FLAGGED_NAMES).flatMap(([flag, names]) =>
    names.split(' ').map((n) => [n, flag as MedicationFlag] as const),
  ),
);

/** The flag for a medication as written ("Xanax XR 0.5 mg" → benzodiazepine), if any. */
export function flagMedication(name: string): MedicationFlag | undefined {
  for (const word of name.toLowerCase().split(/[^a-z]+/)) {
    const flag = FLAG_BY_NAME.get(word);
    if (flag) return flag;
  }
  return undefined;
}

/** Fills in flags from the built-in list, keeping any flag the prescriber set by hand. */
export function flagMedications(
  medications: EligibilityBody['currentMedications'],
): EligibilityBody['currentMedications'] {
  return medications.map((m) => {
    const flag = m.flag ?? flagMedication(m.name);
    return flag ? { ...m, flag } : m;
  });
}

export type ContraindicationItem = { key: string; label: string };

/** The default checklist (issue 4; PRODUCT.md). Clinics add their own items to it. */
export const DEFAULT_CONTRAINDICATIONS: readonly ContraindicationItem[] = [
  { key: 'pregnancy', label: 'Pregnancy, or planning a pregnancy' },
  { key: 'uncontrolled-hypertension', label: 'Uncontrolled hypertension' },
  { key: 'psychosis-history', label: 'History of psychosis' },
  { key: 'active-substance-use-disorder', label: 'Active substance use disorder' },
  { key: 'hyperthyroidism', label: 'Hyperthyroidism' },
  { key: 'prior-ketamine-misuse', label: 'Prior ketamine misuse' },
];

/** Default items first, then the clinic's additions; an addition cannot shadow a default key. */
export function contraindicationChecklist(
  clinicAdditions: readonly ContraindicationItem[] = [],
): ContraindicationItem[] {
  const list = [...DEFAULT_CONTRAINDICATIONS];
  for (const item of clinicAdditions) if (!list.some((x) => x.key === item.key)) list.push(item);
  return list;
}

/** The checklist items answered yes. */
export function presentContraindications(
  evaluation: Pick<EligibilityBody, 'contraindications'>,
  checklist: readonly ContraindicationItem[] = DEFAULT_CONTRAINDICATIONS,
): ContraindicationItem[] {
  return checklist.filter((c) => evaluation.contraindications[c.key] === true);
}

/**
 * The checklist to show for an evaluation: the clinic's current one, plus any item the record
 * answered that the clinic has since removed (worded as it was asked).
 */
export function evaluationChecklist(
  evaluation: Pick<EligibilityBody, 'contraindications' | 'contraindicationLabels'>,
  clinicAdditions: readonly ContraindicationItem[] = [],
): ContraindicationItem[] {
  const labels = evaluation.contraindicationLabels ?? {};
  const list = contraindicationChecklist(
    clinicAdditions.map((c) => ({ key: c.key, label: labels[c.key] ?? c.label })),
  );
  for (const key of Object.keys(evaluation.contraindications))
    if (!list.some((c) => c.key === key)) list.push({ key, label: labels[key] ?? key });
  return list;
}

/** What still has to be answered before the evaluation can be signed, in plain words. */
export function eligibilityMissing(
  evaluation: EligibilityBody,
  checklist: readonly ContraindicationItem[] = DEFAULT_CONTRAINDICATIONS,
): string[] {
  const missing: string[] = [];
  if (evaluation.indication === 'other' && !evaluation.indicationOther?.trim())
    missing.push('Describe the indication ("other" was chosen)');
  if (!evaluation.psychiatricHistory.trim())
    missing.push(
      'Record the psychiatric history (psychosis, mania, substance use, prior treatments)',
    );
  if (!evaluation.medicalHistory.trim()) missing.push('Record the medical history');
  const unanswered = checklist.filter(
    (c) => typeof evaluation.contraindications[c.key] !== 'boolean',
  );
  if (unanswered.length)
    missing.push(`Answer yes or no for: ${unanswered.map((c) => c.label).join(', ')}`);
  if (!evaluation.decision)
    missing.push('Record the decision (eligible, not eligible, or with conditions)');
  // A contraindication answered yes — built-in or the clinic's own — is never waved through as
  // plainly eligible: the prescriber states how it is managed, or declines (Sanacora et al.,
  // JAMA Psychiatry 2017, consensus statement on ketamine for mood disorders: contraindications
  // are weighed case by case and the reasoning documented).
  const present = presentContraindications(evaluation, checklist);
  if (evaluation.decision === 'eligible' && present.length)
    missing.push(
      `Contraindication present (${present.map((c) => c.label).join(', ')}): choose ` +
        '"eligible with conditions" and state how it is managed, or "not eligible"',
    );
  if (evaluation.decision === 'eligible-with-conditions' && !evaluation.conditions?.trim())
    missing.push('State the conditions of eligibility');
  return missing;
}

export function assertEligibilityMaySign(
  evaluation: EligibilityBody,
  checklist: readonly ContraindicationItem[] = DEFAULT_CONTRAINDICATIONS,
): void {
  const missing = eligibilityMissing(evaluation, checklist);
  if (missing.length)
    throw new RuleError(
      'eligibility.incomplete',
      `This evaluation cannot be signed yet: ${missing.join('; ')}.`,
    );
}

export type EligibilityState = NonNullable<EligibilityBody['decision']> | 'expired';

/** validUntil: the last day (the clinic's calendar) on which the evaluation still counts. */
export type CurrentEligibility =
  | {
      state: 'none';
      /**
       * A signed evaluation that exists but is dated after `at` (a start typed before it): said
       * as such, not as "no evaluation", while the chart shows the patient eligible.
       */
      later?: { evaluatedAt: string; at: string; timeZone?: string };
    }
  | { state: EligibilityState; evaluation: EligibilityEvaluation; validUntil: CalendarDate };

/**
 * The patient's standing at `at`: the latest signed evaluation decides (a later "not eligible"
 * overrides an earlier "eligible"), and it counts for validMonths from the day it was done,
 * through that same day of the clinic's calendar (its time zone; default the device's — an
 * evening evaluation in Chicago is on the clinic's Tuesday, not UTC's Wednesday). Drafts and
 * entries in error never count.
 */
export function currentEligibility(
  evaluations: readonly EligibilityEvaluation[],
  at: Date,
  validMonths: number,
  timeZone?: string,
): CurrentEligibility {
  const signed = evaluations
    .filter((e) => e.status === 'signed' && e.decision)
    .sort((a, b) => Date.parse(b.evaluatedAt) - Date.parse(a.evaluatedAt));
  const latest = signed.find((e) => Date.parse(e.evaluatedAt) <= at.getTime());
  if (!latest) {
    const next = signed.at(-1);
    return next && next.decision !== 'not-eligible'
      ? {
          state: 'none',
          later: {
            evaluatedAt: next.evaluatedAt,
            at: at.toISOString(),
            ...(timeZone ? { timeZone } : {}),
          },
        }
      : { state: 'none' };
  }
  const validUntil = addMonths(clinicDay(latest.evaluatedAt, timeZone), validMonths);
  if (clinicDay(at, timeZone) > validUntil)
    return { state: 'expired', evaluation: latest, validUntil };
  return { state: latest.decision!, evaluation: latest, validUntil };
}

/** Plain words for a state that does not allow dosing, with what to do. */
export function eligibilityProblem(current: CurrentEligibility): string | undefined {
  switch (current.state) {
    case 'eligible':
    case 'eligible-with-conditions':
      return undefined;
    case 'none': {
      const later = current.later;
      if (!later)
        return 'No signed eligibility evaluation — complete and sign one before the first dose';
      // The evaluation exists; the time entered is before it (issue 15, finding 7). Times in the
      // clinic's zone, with the day when the two are on different days.
      const evaluated = clinicTime(later.evaluatedAt, later.timeZone, later.at);
      const start = clinicTime(later.at, later.timeZone, later.evaluatedAt);
      return (
        `The eligibility evaluation is dated ${evaluated}, after the start you recorded ` +
        `(${start}) — record the start at or after ${evaluated}, or check the time you entered`
      );
    }
    case 'not-eligible':
      return 'The latest signed eligibility evaluation says not eligible — do not dose';
    case 'expired':
      return `The eligibility evaluation expired after ${current.validUntil} — re-evaluate before dosing`;
  }
}
