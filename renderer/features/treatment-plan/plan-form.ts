/** The plan form's values and how they become a plan (the schema checks again when signing). */
import type { DoseFrequency, Route, TreatmentPlan } from '../../../shared/model';
import { clinicDay } from '../../../shared/rules/dosing/clinic-day';
import type { TreatmentPlanInput } from '../../db/treatment-plan-repository';
import { routeForProgram } from './use-treatment-plan';

export type PlanValues = {
  program: string;
  route: Route;
  plannedDoses: number | '';
  frequency: DoseFrequency;
  integrationAfterEach: boolean;
  maintenanceIntervalWeeks: number | '';
  goals: string;
  goalsFromNoteId: string;
  startsOn: string;
  /** The version the form was opened from ('' for a first plan): kept with the draft. */
  basedOn: string;
};

/** A first plan starts from a typical course: six sessions twice a week (see the rules). */
export function startingValues(
  plan: TreatmentPlan | undefined,
  program: string | undefined,
  timeZone?: string,
): PlanValues {
  if (plan)
    return {
      program: plan.program,
      route: plan.route,
      plannedDoses: plan.plannedDoses,
      frequency: plan.frequency,
      integrationAfterEach: plan.integrationAfterEach,
      maintenanceIntervalWeeks: plan.maintenanceIntervalWeeks ?? '',
      goals: plan.goals,
      goalsFromNoteId: plan.goalsFromNoteId ?? '',
      startsOn: plan.startsOn,
      basedOn: plan.id,
    };
  return {
    program: program ?? '',
    route: routeForProgram(program),
    plannedDoses: 6,
    frequency: 'twice-a-week',
    integrationAfterEach: true,
    maintenanceIntervalWeeks: '',
    goals: '',
    goalsFromNoteId: '',
    startsOn: clinicDay(new Date(), timeZone),
    basedOn: '',
  };
}

const whole = (v: number | '') => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** What the plan still lacks, in the clinician's words. */
export function planProblems(v: PlanValues): string[] {
  const out: string[] = [];
  if (!v.program) out.push('choose the program');
  if (!whole(v.plannedDoses)) out.push('enter the number of dosing sessions (a whole number)');
  if (v.maintenanceIntervalWeeks !== '' && !whole(v.maintenanceIntervalWeeks))
    out.push('maintenance interval is a whole number of weeks, or left empty');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.startsOn)) out.push('enter the day the course starts');
  return out;
}

export function planInput(patientId: string, v: PlanValues): TreatmentPlanInput {
  return {
    patientId,
    program: v.program,
    route: v.route,
    plannedDoses: Number(v.plannedDoses) || 0,
    frequency: v.frequency,
    integrationAfterEach: v.integrationAfterEach,
    ...(v.maintenanceIntervalWeeks !== ''
      ? { maintenanceIntervalWeeks: Number(v.maintenanceIntervalWeeks) }
      : {}),
    goals: v.goals.trim(),
    ...(v.goalsFromNoteId ? { goalsFromNoteId: v.goalsFromNoteId } : {}),
    startsOn: v.startsOn,
  };
}
