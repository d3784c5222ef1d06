/**
 * What patient mode adds to the staff shell and the chart (spread into app/routes.tsx). The
 * patient's own screen is not a route: the shell shows it instead of every route while patient
 * mode is on (app/SignedInShell.tsx).
 */
import { lazy } from 'react';
import type { RouteDef } from '../../app/contributions';
import { PatientModeAction } from './StartPatientModeScreen';

const StartPatientModeScreen = lazy(() =>
  import('./StartPatientModeScreen').then((m) => ({ default: m.StartPatientModeScreen })),
);
// With the signature pads (loaded on first visit, issue 20).
const FinishPatientPacketScreen = lazy(() =>
  import('./FinishPatientPacketScreen').then((m) => ({ default: m.FinishPatientPacketScreen })),
);

/** Listed before the chart's "/patients/:id" (the first match wins). */
export const PATIENT_MODE_ROUTES: RouteDef[] = [
  {
    path: '/patients/:id/patient-mode/packet/:program',
    component: ({ params }) => (
      <FinishPatientPacketScreen patientId={params.id!} program={params.program!} />
    ),
  },
  {
    path: '/patients/:id/patient-mode',
    component: ({ params }) => <StartPatientModeScreen patientId={params.id!} />,
  },
];

export const PATIENT_MODE_ACTIONS = [PatientModeAction];
