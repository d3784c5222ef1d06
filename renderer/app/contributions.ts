/**
 * What feature areas contribute to the shell and to a patient's chart, in a room below both (the
 * VS Code way: areas contribute, the chart reads, neither knows the other). The composition root
 * (routes.tsx) gathers every area's contributions and the shell provides them; the chart screen
 * reads them with useChartContributions() and imports no area.
 */
import { type ComponentType, createContext, useContext } from 'react';
import type { AnyRecord, Encounter, RecordKind, Role } from '../../shared/model';

export type ChartSectionProps = { patientId: string };
/** A button on one visit of the course ("Add note to this visit"). */
export type VisitActionProps = { patientId: string; visit: Encounter };

export type NavItem = {
  href: string;
  label: string;
  /** Shown only to users whose role may read this kind of record. */
  needsRead?: RecordKind;
  /** Shown only to users who hold this role. */
  needsRole?: Role;
  match: (path: string) => boolean;
  /** A live count beside the label (e.g. "My work today 3"); undefined or 0 shows none. */
  useCount?: () => number | undefined;
};

export type RouteDef = {
  path: string;
  component: ComponentType<{ params: Record<string, string> }>;
};

/**
 * Where a chart panel belongs. The chart orders groups by who reads it (chart-order.ts):
 * clinicians see alerts and the treatment course first, the front office consent first.
 */
export const CHART_GROUPS = ['alerts', 'course', 'measures', 'search', 'consent'] as const;
export type ChartGroup = (typeof CHART_GROUPS)[number];

export type ChartPanel = { group: ChartGroup; component: ComponentType<ChartSectionProps> };

export type RecordLinks = Partial<Record<RecordKind, (record: AnyRecord) => string>>;

export type ChartContributions = {
  /** Buttons in the chart's action bar ("New note", "Record dose" …). */
  actions: ComponentType<ChartSectionProps>[];
  panels: ChartPanel[];
  visitActions: ComponentType<VisitActionProps>[];
  /** Where a timeline entry of each kind opens; kinds without one show as a line only. */
  links: RecordLinks;
};

const ChartContributionsContext = createContext<ChartContributions>({
  actions: [],
  panels: [],
  visitActions: [],
  links: {},
});

export const ChartContributionsProvider = ChartContributionsContext.Provider;
export const useChartContributions = () => useContext(ChartContributionsContext);
