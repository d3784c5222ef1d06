/** What at-home programs add to the shell; prescriber-registry.tsx takes them from here. */
import type { ComponentType } from 'react';
import type { AnyRecord, RecordKind } from '../../../shared/model';
import type { RouteDef } from '../../app/routes';
import type { ChartSectionProps } from '../chart/chart-sections';
import { HomeProgramPanel, NewHomePrescriptionAction } from './HomeProgramPanel';
import { HomePrescriptionScreen } from './HomePrescriptionScreen';
import { HomePrescriptionView } from './HomePrescriptionView';

export const HOME_ROUTES: RouteDef[] = [
  {
    path: '/patients/:id/home-prescription',
    component: ({ params }) => <HomePrescriptionScreen patientId={params.id!} />,
  },
  {
    path: '/home-prescriptions/:id',
    component: ({ params }) => <HomePrescriptionView id={params.id!} />,
  },
];

export const HOME_ACTIONS: ComponentType<ChartSectionProps>[] = [NewHomePrescriptionAction];
export const HOME_PANELS: ComponentType<ChartSectionProps>[] = [HomeProgramPanel];

export const HOME_LINKS: Partial<Record<RecordKind, (record: AnyRecord) => string>> = {
  'home-prescription': (r) =>
    `/home-prescriptions/${(r as { refillOf?: string }).refillOf ?? r.id}`,
};
