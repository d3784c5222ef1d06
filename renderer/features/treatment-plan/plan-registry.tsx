/** What treatment plans add to the shell and the chart; app/routes.tsx takes them from here. */
import type { ChartPanel, RecordLinks, RouteDef } from '../../app/contributions';
import { TreatmentPlanPanel } from './TreatmentPlanPanel';
import { TreatmentPlanScreen } from './TreatmentPlanScreen';
import { TreatmentPlanView } from './TreatmentPlanView';

export const PLAN_ROUTES: RouteDef[] = [
  {
    path: '/patients/:id/treatment-plan',
    component: ({ params }) => <TreatmentPlanScreen patientId={params.id!} />,
  },
  {
    path: '/patients/:id/treatment-plans/:planId',
    component: ({ params }) => <TreatmentPlanView patientId={params.id!} planId={params.planId!} />,
  },
];

/** First in the treatment course: where the patient is in it and what is due. */
export const PLAN_PANELS: ChartPanel[] = [{ group: 'course', component: TreatmentPlanPanel }];

const pid = (r: { patientId?: string }) => r.patientId ?? '';
export const PLAN_LINKS: RecordLinks = {
  'treatment-plan': (r) => `/patients/${pid(r as never)}/treatment-plans/${r.id}`,
};
