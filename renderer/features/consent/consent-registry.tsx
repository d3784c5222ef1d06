/**
 * What the consent and schedule features add to the shell and the chart (spread into routes.tsx,
 * chart-sections.tsx and record-links.ts with one line each).
 */
import type { AnyRecord } from '../../../shared/model';
import type { NavItem, RouteDef } from '../../app/routes';
import { ScheduleScreen } from '../schedule/ScheduleScreen';
import { ConsentPacketAction, ConsentStatusPanel } from './ConsentStatusPanel';
import { ConsentSettingsScreen } from './ConsentSettingsScreen';
import { SignPacketScreen } from './SignPacketScreen';
import { SignedConsentScreen } from './SignedConsentScreen';

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
