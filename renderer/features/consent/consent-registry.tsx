/**
 * What the consent and schedule features add to the shell and the chart (spread into routes.tsx,
 * chart-sections.tsx and record-links.ts with one line each).
 */
import { lazy } from 'react';
import type { AnyRecord } from '../../../shared/model';
import type { NavItem, RouteDef } from '../../app/routes';
import { ScheduleScreen } from '../schedule/ScheduleScreen';
import { ConsentPacketAction, ConsentStatusPanel } from './ConsentStatusPanel';
import { ConsentSettingsScreen } from './ConsentSettingsScreen';

// The screens that capture signatures (signature_pad) load on first visit (issue 20); a screen
// comes with its pads, so no pad shows before it listens.
const SignPacketScreen = lazy(() =>
  import('./SignPacketScreen').then((m) => ({ default: m.SignPacketScreen })),
);
const SignedConsentScreen = lazy(() =>
  import('./SignedConsentScreen').then((m) => ({ default: m.SignedConsentScreen })),
);

export const CONSENT_NAV: NavItem[] = [
  {
    href: '/schedule',
    label: 'Schedule',
    needsRead: 'appointment',
    match: (p) => p.startsWith('/schedule'),
  },
  {
    href: '/consent-forms',
    label: 'Consent forms',
    needsRead: 'consent-template',
    match: (p) => p.startsWith('/consent-forms'),
  },
];

/** Listed before the chart's "/patients/:id" (the first match wins). */
export const CONSENT_ROUTES: RouteDef[] = [
  {
    path: '/patients/:id/consent',
    component: ({ params }) => <SignPacketScreen patientId={params.id!} />,
  },
  {
    path: '/consents/:id',
    component: ({ params }) => <SignedConsentScreen consentId={params.id!} />,
  },
  { path: '/consent-forms', component: () => <ConsentSettingsScreen /> },
  { path: '/schedule', component: () => <ScheduleScreen /> },
];

export const CONSENT_ACTIONS = [ConsentPacketAction];
export const CONSENT_PANELS = [ConsentStatusPanel];
export const CONSENT_LINKS = {
  'signed-consent': (record: AnyRecord) => `/consents/${record.id}`,
};
