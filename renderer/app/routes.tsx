/**
 * The composition root: every screen reachable in the signed-in app and everything areas add to a
 * patient's chart. Feature areas add their entries here (one line each), so neither the shell nor
 * the chart changes when a feature lands, and the chart imports no area (app/contributions.ts).
 */
import { lazy, type ComponentType } from 'react';
import { PatientChartScreen } from '../features/chart/PatientChartScreen';
import { PatientFormScreen } from '../features/patients/PatientFormScreen';
import { PatientListScreen } from '../features/patients/PatientListScreen';
import {
  CHARTING_ACTIONS,
  CHARTING_LINKS,
  CHARTING_NAV,
  CHARTING_PANELS,
  CHARTING_ROUTES,
  CHARTING_VISIT_ACTIONS,
} from '../features/notes/charting-registry';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import {
  CONSENT_ACTIONS,
  CONSENT_LINKS,
  CONSENT_NAV,
  CONSENT_PANELS,
  CONSENT_ROUTES,
} from '../features/consent/consent-registry';
import {
  PRESCRIBER_ACTIONS,
  PRESCRIBER_HEADER,
  PRESCRIBER_LINKS,
  PRESCRIBER_NAV,
  PRESCRIBER_PANELS,
  PRESCRIBER_ROUTES,
} from '../features/dosing/prescriber-registry';
import { AccessReportAction } from '../features/audit/AccessReportAction';
import {
  PATIENT_MODE_ACTIONS,
  PATIENT_MODE_ROUTES,
} from '../features/patient-mode/patient-mode-registry';
import { EmergencyAccessAction } from '../features/audit/EmergencyAccess';
import { useSignInFailureCount } from '../features/audit/SignInFailuresNotice';
import { useEmergencyReviewCount } from '../features/audit/use-emergency-review-count';
import { PLAN_LINKS, PLAN_PANELS, PLAN_ROUTES } from '../features/treatment-plan/plan-registry';
import type { ChartContributions, NavItem, RouteDef } from './contributions';

// Loaded on first visit (issue 20): the audit log's PDF export brings pdf-lib with it.
const AuditLogScreen = lazy(() =>
  import('../features/audit/AuditLogScreen').then((m) => ({ default: m.AuditLogScreen })),
);

const EmergencyReviewScreen = lazy(() =>
  import('../features/audit/EmergencyReviewScreen').then((m) => ({
    default: m.EmergencyReviewScreen,
  })),
);

const AccessReportScreen = lazy(() =>
  import('../features/audit/AccessReportScreen').then((m) => ({ default: m.AccessReportScreen })),
);

const DisclosuresScreen = lazy(() =>
  import('../features/audit/DisclosuresScreen').then((m) => ({ default: m.DisclosuresScreen })),
);

export type { NavItem, RouteDef } from './contributions';

/** Shown in the app header on every screen (the vitals due in a dosing session in progress). */
export const HEADER_ITEMS: ComponentType[] = [...PRESCRIBER_HEADER];

export const NAV: NavItem[] = [
  ...CHARTING_NAV,
  { href: '/', label: 'Patients', match: (p) => p === '/' || p.startsWith('/patients') },
  {
    href: '/audit',
    label: 'Audit log',
    needsRole: 'administrator',
    match: (p) => p.startsWith('/audit'),
    useCount: useSignInFailureCount,
  },
  {
    href: '/emergency-reviews',
    label: 'Emergency access review',
    needsRole: 'administrator',
    match: (p) => p.startsWith('/emergency-reviews'),
    useCount: useEmergencyReviewCount,
  },
  ...CONSENT_NAV,
  ...PRESCRIBER_NAV,
  { href: '/settings', label: 'Settings', match: (p) => p.startsWith('/settings') },
];

/** More specific paths first: the first match wins. */
export const ROUTES: RouteDef[] = [
  { path: '/', component: () => <PatientListScreen /> },
  { path: '/patients/new', component: () => <PatientFormScreen /> },
  {
    path: '/patients/:id/edit',
    component: ({ params }) => <PatientFormScreen patientId={params.id} />,
  },
  ...CHARTING_ROUTES,
  ...CONSENT_ROUTES,
  ...PATIENT_MODE_ROUTES,
  ...PRESCRIBER_ROUTES,
  ...PLAN_ROUTES,
  {
    path: '/patients/:id/access-report',
    component: ({ params }) => <AccessReportScreen patientId={params.id} />,
  },
  {
    path: '/patients/:id/disclosures',
    component: ({ params }) => <DisclosuresScreen patientId={params.id} />,
  },
  {
    path: '/patients/:id',
    component: ({ params }) => <PatientChartScreen patientId={params.id!} />,
  },
  { path: '/settings', component: () => <SettingsScreen /> },
  { path: '/audit', component: () => <AuditLogScreen /> },
  { path: '/emergency-reviews', component: () => <EmergencyReviewScreen /> },
  { path: '/access-report', component: () => <AccessReportScreen /> },
  { path: '/disclosures', component: () => <DisclosuresScreen /> },
];

/** What the chart shows besides its banner and timeline; each section checks the role itself. */
export const CHART: ChartContributions = {
  actions: [
    ...CONSENT_ACTIONS,
    ...PATIENT_MODE_ACTIONS,
    ...CHARTING_ACTIONS,
    ...PRESCRIBER_ACTIONS,
    EmergencyAccessAction,
    AccessReportAction,
  ],
  panels: [
    ...PLAN_PANELS,
    ...CHARTING_PANELS,
    ...PRESCRIBER_PANELS.map((component) => ({ group: 'course' as const, component })),
    ...CONSENT_PANELS.map((component) => ({ group: 'consent' as const, component })),
  ],
  visitActions: [...CHARTING_VISIT_ACTIONS],
  links: { ...CONSENT_LINKS, ...CHARTING_LINKS, ...PRESCRIBER_LINKS, ...PLAN_LINKS },
};
