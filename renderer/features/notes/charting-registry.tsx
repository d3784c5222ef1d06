/**
 * Everything therapist charting adds to the shell (notes, measures, integration summaries, chart
 * search), so routes.tsx, chart-sections.tsx and record-links.ts each take one line from here.
 */
import type { ComponentType } from 'react';
import type { AnyRecord, RecordKind } from '../../../shared/model';
import type { NavItem, RouteDef } from '../../app/routes';
import type { ChartSectionProps } from '../chart/chart-sections';
import { IntegrationAction } from '../integration/IntegrationAction';
import { IntegrationSummaryScreen } from '../integration/IntegrationSummaryScreen';
import { MeasureAlertsPanel } from '../measures/MeasureAlertsPanel';
import { MeasureFormScreen } from '../measures/MeasureFormScreen';
import { MeasuresDuePanel } from '../measures/MeasuresDuePanel';
import { MeasureTrendPanel } from '../measures/MeasureTrendPanel';
import { RecordMeasureAction } from '../measures/RecordMeasureAction';
import { ChartSearchPanel } from './ChartSearchPanel';
import { NewNoteAction } from './NewNoteAction';
import { NoteScreen } from './NoteScreen';
import { UnsignedNotesScreen } from './UnsignedNotesScreen';

export const CHARTING_NAV: NavItem[] = [
  {
    href: '/unsigned-notes',
    label: 'Unsigned notes',
    needsRead: 'note',
    match: (p) => p.startsWith('/unsigned-notes'),
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
    path: '/patients/:id/integration/:summaryId',
    component: ({ params }) => (
      <IntegrationSummaryScreen patientId={params.id!} summaryId={params.summaryId!} />
    ),
  },
  { path: '/unsigned-notes', component: () => <UnsignedNotesScreen /> },
];

export const CHARTING_ACTIONS: ComponentType<ChartSectionProps>[] = [
  NewNoteAction,
  RecordMeasureAction,
  IntegrationAction,
];
export const CHARTING_PANELS: ComponentType<ChartSectionProps>[] = [
  MeasureAlertsPanel,
  MeasuresDuePanel,
  MeasureTrendPanel,
  ChartSearchPanel,
];

const pid = (r: AnyRecord) => (r as { patientId?: string }).patientId ?? '';
export const CHARTING_LINKS: Partial<Record<RecordKind, (record: AnyRecord) => string>> = {
  note: (r) => `/patients/${pid(r)}/notes/${r.id}`,
  addendum: (r) =>
    r.kind === 'addendum' && r.targetKind === 'note'
      ? `/patients/${pid(r)}/notes/${r.targetId}`
      : `/patients/${pid(r)}`,
  'integration-summary': (r) => `/patients/${pid(r)}/integration/${r.id}`,
};
