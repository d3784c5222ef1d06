/**
 * Every screen reachable in the signed-in app. Feature areas add their entries here (one line
 * each), so the shell itself never changes when a feature lands.
 */
import type { ComponentType } from 'react';
import type { RecordKind, Role } from '../../shared/model';
import { PatientChartScreen } from '../features/chart/PatientChartScreen';
import { PatientFormScreen } from '../features/patients/PatientFormScreen';
import { PatientListScreen } from '../features/patients/PatientListScreen';
import { CHARTING_NAV, CHARTING_ROUTES } from '../features/notes/charting-registry';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { CONSENT_NAV, CONSENT_ROUTES } from '../features/consent/consent-registry';
import { PRESCRIBER_NAV, PRESCRIBER_ROUTES } from '../features/dosing/prescriber-registry';
import { AuditLogScreen } from '../features/audit/AuditLogScreen';

export type NavItem = {
  href: string;
  label: string;
  /** Shown only to users whose role may read this kind of record. */
  needsRead?: RecordKind;
  /** Shown only to users who hold this role. */
  needsRole?: Role;
  match: (path: string) => boolean;
};

export const NAV: NavItem[] = [
  { href: '/', label: 'Patients', match: (p) => p === '/' || p.startsWith('/patients') },
  ...CHARTING_NAV,
  {
    href: '/audit',
    label: 'Audit log',
    needsRole: 'administrator',
    match: (p) => p.startsWith('/audit'),
  },
  ...CONSENT_NAV,
  ...PRESCRIBER_NAV,
  { href: '/settings', label: 'Settings', match: (p) => p.startsWith('/settings') },
];

export type RouteDef = {
  path: string;
  component: ComponentType<{ params: Record<string, string> }>;
};

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
  ...PRESCRIBER_ROUTES,
  {
    path: '/patients/:id',
    component: ({ params }) => <PatientChartScreen patientId={params.id!} />,
  },
  { path: '/settings', component: () => <SettingsScreen /> },
  { path: '/audit', component: () => <AuditLogScreen /> },
];
