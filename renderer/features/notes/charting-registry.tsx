/**
 * Everything therapist charting adds to the shell (notes, measures, integration summaries, chart
 * search), gathered by the composition root (app/routes.tsx) with one line.
 */
import type { ComponentType } from 'react';
import type { AnyRecord } from '../../../shared/model';
import type {
  ChartPanel,
  ChartSectionProps,
  NavItem,
  RecordLinks,
  RouteDef,
  VisitActionProps,
} from '../../app/contributions';
import { IntegrationAction } from '../integration/IntegrationAction';
import { IntegrationSummaryScreen } from '../integration/IntegrationSummaryScreen';
import { MeasureAlertsPanel } from '../measures/MeasureAlertsPanel';
import { MeasureFormScreen } from '../measures/MeasureFormScreen';
import { MeasuresDuePanel } from '../measures/MeasuresDuePanel';
import { MeasureTrendPanel } from '../measures/MeasureTrendPanel';
import { MeasureViewScreen } from '../measures/MeasureViewScreen';
import { RecordMeasureAction } from '../measures/RecordMeasureAction';
import { ChartSearchPanel } from './ChartSearchPanel';
import { AddNoteToVisit, NewNoteAction } from './NewNoteAction';
import { NoteScreen } from './NoteScreen';
import { MY_WORK_ROUTE } from '../../app/home-route';
import { MyWorkScreen } from '../my-work/MyWorkScreen';
import { useMyWorkCount } from '../my-work/use-my-work';

export const CHARTING_NAV: NavItem[] = [
  {
    href: MY_WORK_ROUTE,
    label: 'My work today',
    needsRead: 'note',
    match: (p) => p.startsWith(MY_WORK_ROUTE) || p.startsWith('/unsigned-notes'),
    useCount: useMyWorkCount,
  },
];

export const CHARTING_ROUTES: RouteDef[] = [
  {
    path: '/patients/:id/notes/:noteId',
    component: ({ params }) => <NoteScreen patientId={params.id!} noteId={params.noteId!} />,
  },
  {
    path: '/patients/:id/measures/new/:instrument',
    component: ({ params }) => (
      <MeasureFormScreen patientId={params.id!} instrument={params.instrument} />
    ),
  },
  {
    path: '/patients/:id/measures/new',
    component: ({ params }) => <MeasureFormScreen patientId={params.id!} />,
  },
  {
    path: '/patients/:id/measures/:measureId',
    component: ({ params }) => (
      <MeasureViewScreen patientId={params.id!} measureId={params.measureId!} />
    ),
  },
  {
    path: '/patients/:id/integration/:summaryId',
    component: ({ params }) => (
      <IntegrationSummaryScreen patientId={params.id!} summaryId={params.summaryId!} />
    ),
  },
  { path: MY_WORK_ROUTE, component: () => <MyWorkScreen /> },
  // The list it replaced: old links and bookmarks land on the same drafts.
  { path: '/unsigned-notes', component: () => <MyWorkScreen /> },
];

export const CHARTING_ACTIONS: ComponentType<ChartSectionProps>[] = [
  NewNoteAction,
  RecordMeasureAction,
  IntegrationAction,
];
export const CHARTING_VISIT_ACTIONS: ComponentType<VisitActionProps>[] = [AddNoteToVisit];

export const CHARTING_PANELS: ChartPanel[] = [
  { group: 'alerts', component: MeasureAlertsPanel },
  { group: 'course', component: MeasuresDuePanel },
  { group: 'measures', component: MeasureTrendPanel },
  { group: 'search', component: ChartSearchPanel },
];

const pid = (r: AnyRecord) => (r as { patientId?: string }).patientId ?? '';
export const CHARTING_LINKS: RecordLinks = {
  note: (r) => `/patients/${pid(r)}/notes/${r.id}`,
  addendum: (r) =>
    r.kind === 'addendum' && r.targetKind === 'note'
      ? `/patients/${pid(r)}/notes/${r.targetId}`
      : `/patients/${pid(r)}`,
  'integration-summary': (r) => `/patients/${pid(r)}/integration/${r.id}`,
  measure: (r) => `/patients/${pid(r)}/measures/${r.id}`,
};
