/**
 * Everything prescriber work adds to the shell (eligibility, dose records, the controlled-substance
 * log, at-home programs), so routes.tsx, chart-sections.tsx and record-links.ts each take one line from here.
 */
import type { ComponentType } from 'react';
import type { AnyRecord, RecordKind } from '../../../shared/model';
import type { NavItem, RouteDef } from '../../app/routes';
import type { ChartSectionProps } from '../chart/chart-sections';
import { EligibilityAction } from '../eligibility/EligibilityAction';
import { EligibilityPanel } from '../eligibility/EligibilityPanel';
import { EligibilityScreen } from '../eligibility/EligibilityScreen';
import { HOME_ACTIONS, HOME_LINKS, HOME_PANELS, HOME_ROUTES } from '../home-program/home-registry';
import { InventoryScreen } from '../inventory/InventoryScreen';
import { DoseScreen } from './DoseScreen';
import { OpenSessionBadge } from './OpenSessionBadge';
import { RecordDoseAction } from './RecordDoseAction';

export const PRESCRIBER_NAV: NavItem[] = [
  {
    href: '/inventory',
    label: 'Inventory',
    needsRead: 'inventory-lot',
    match: (p) => p.startsWith('/inventory'),
  },
];

export const PRESCRIBER_ROUTES: RouteDef[] = [
  { path: '/eligibility/:id', component: ({ params }) => <EligibilityScreen id={params.id!} /> },
  { path: '/doses/:id', component: ({ params }) => <DoseScreen id={params.id!} /> },
  { path: '/inventory', component: () => <InventoryScreen /> },
  ...HOME_ROUTES,
];

export const PRESCRIBER_ACTIONS: ComponentType<ChartSectionProps>[] = [
  RecordDoseAction,
  EligibilityAction,
  ...HOME_ACTIONS,
];
export const PRESCRIBER_PANELS: ComponentType<ChartSectionProps>[] = [
  EligibilityPanel,
  ...HOME_PANELS,
];

export const PRESCRIBER_LINKS: Partial<Record<RecordKind, (record: AnyRecord) => string>> = {
  dose: (r) => `/doses/${r.id}`,
  eligibility: (r) => `/eligibility/${r.id}`,
  ...HOME_LINKS,
};

/** In the app header on every screen: the vitals due in a session in progress. */
export const PRESCRIBER_HEADER: ComponentType[] = [OpenSessionBadge];
