/** Treatment plan data as live queries (components never touch the database). */
import { useLiveQuery } from 'dexie-react-hooks';
import type { Route } from '../../../shared/model';
import { latestPackets, programName } from '../../../shared/rules/consent-packets';
import { patientPrograms } from '../../../shared/rules/programs';
import { currentPlan } from '../../../shared/rules/treatment-plan';
import { useStore } from '../../app/app-state';
import { listPackets } from '../../db/consent-packets-repository';
import {
  goalsFromPreparation,
  patientTreatmentPlan,
  type PatientPlan,
} from '../../db/treatment-plan-repository';

export type ShownPlan = PatientPlan & { programName: string };

/** The plan in force with its progress; null when there is none; undefined while loading. */
export function usePatientPlan(patientId: string): ShownPlan | null | undefined {
  const store = useStore();
  return useLiveQuery(async () => {
    if (!store.canRead('treatment-plan')) return null;
    const [found, packets] = await Promise.all([
      patientTreatmentPlan(store, patientId, new Date()),
      listPackets(store),
    ]);
    return found && { ...found, programName: programName(packets, found.plan.program) };
  }, [store, patientId]);
}

export type PlanFormData = {
  plan: PatientPlan | null;
  /** Programs the clinic offers (live packets), the patient's current one first. */
  programs: { value: string; label: string }[];
  currentProgram?: string;
  preparation?: Awaited<ReturnType<typeof goalsFromPreparation>>;
};

/** What the plan form starts from, read once it opens. */
export function usePlanFormData(patientId: string): PlanFormData | undefined {
  const store = useStore();
  return useLiveQuery(async () => {
    const [plan, packets, appointments, consents, preparation] = await Promise.all([
      patientTreatmentPlan(store, patientId, new Date()),
      listPackets(store),
      store.listByPatient('appointment', patientId),
      store.listByPatient('signed-consent', patientId),
      goalsFromPreparation(store, patientId),
    ]);
    const [currentProgram] = patientPrograms({
      planProgram: plan?.plan.program,
      appointments,
      consents,
      at: new Date(),
    });
    const offered = latestPackets(packets).filter((p) => !p.retired);
    const programs = offered.map((p) => ({ value: p.program, label: p.name }));
    // A plan's program the clinic has since retired still shows by its key, so nothing is lost.
    for (const key of [plan?.plan.program, currentProgram])
      if (key && !programs.some((p) => p.value === key)) programs.push({ value: key, label: key });
    return { plan, programs, currentProgram, preparation };
  }, [store, patientId]);
}

/** The usual route for a program, to start a new plan from. */
export function routeForProgram(program: string | undefined): Route {
  if (program === 'esketamine') return 'intranasal';
  if (program?.startsWith('at-home')) return 'sublingual-troche';
  return 'iv-infusion';
}

/** Every version of the patient's plan, newest first, and the one in force. */
export function usePatientPlanVersions(patientId: string) {
  const store = useStore();
  return useLiveQuery(async () => {
    const [versions, packets] = await Promise.all([
      store.listByPatient('treatment-plan', patientId),
      listPackets(store),
    ]);
    versions.sort((a, b) => b.writtenAt.localeCompare(a.writtenAt));
    return {
      versions,
      current: currentPlan(versions),
      programName: (key: string) => programName(packets, key),
    };
  }, [store, patientId]);
}
