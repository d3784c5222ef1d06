import { Badge, Card, Group, Loader, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { memo, useEffect, useMemo, useState } from 'react';
import { VISIT_LABELS, type VisitKind } from '../../../shared/model';
import { formatDateTime } from '../../app/format';
import { usePatientRecords } from '../../app/use-records';
import { useChartContributions } from '../../app/contributions';
import { useWindowSlots } from '../../app/use-window-slots';
import { restrictedLabel, useRestrictedDays } from '../../app/use-restricted-days';
import { RecordSummary } from './RecordSummary';
import { visitWords } from './VisitFacts';
import { preloadChartsWhenIdle } from '../charts/LazyLineChart';
import { buildTimeline } from './timeline';

const FILTERS: { value: VisitKind | 'all'; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'eligibility', label: 'Eligibility' },
  { value: 'preparation', label: 'Preparation' },
  { value: 'dosing', label: 'Dosing' },
  { value: 'integration', label: 'Integration' },
  { value: 'maintenance', label: 'Maintenance' },
];

/** The treatment course: visits, newest first, each with what was charted in it. */
export function CourseTimeline({ patientId }: { patientId: string }) {
  const records = usePatientRecords(patientId);
  const [filter, setFilter] = useState<VisitKind | 'all'>('all');
  const timeline = useMemo(() => buildTimeline(records ?? [], filter), [records, filter]);
  const restricted = useRestrictedDays(patientId);

  return (
    <Stack gap="sm" component="section" aria-labelledby="course-title">
      <Group justify="space-between">
        <Title order={3} id="course-title">
          Treatment course
        </Title>
        <div role="radiogroup" aria-label="Show visits">
          <SegmentedControl
            value={filter}
            onChange={(v) => setFilter(v as VisitKind | 'all')}
            data={FILTERS}
            size="xs"
          />
        </div>
      </Group>
      {records === undefined ? (
        <Loader role="status" aria-label="Loading the course" />
      ) : timeline.length === 0 ? (
        <Card withBorder padding="xl">
          <Text fw={500}>
            {filter === 'all'
              ? 'No visits charted yet.'
              : `No ${FILTERS.find((f) => f.value === filter)?.label.toLowerCase()} visits.`}
          </Text>
          <Text size="sm" c="dimmed">
            Preparation, dosing and integration sessions appear here, newest first, with their
            notes, doses and measures.
          </Text>
        </Card>
      ) : (
        <Course timeline={timeline} patientId={patientId} restricted={restricted} />
      )}
    </Stack>
  );
}

type Entry = ReturnType<typeof buildTimeline>[number];

/**
 * The course's visits, drawn only around the screen (issue 20: years of visits in a long chart);
 * blank items stand in for the rest, so the page scrolls as if all were there. Each item tells its
 * place in the whole course (aria-posinset/aria-setsize).
 */
function Course({
  timeline,
  patientId,
  restricted,
}: {
  timeline: Entry[];
  patientId: string;
  restricted: ReturnType<typeof useRestrictedDays>;
}) {
  const { container, slots, measure, focusProps } = useWindowSlots<HTMLOListElement>({
    count: timeline.length,
    itemHeight: 120,
    itemKey: (i) => entryKey(timeline[i]!),
    overscan: 4,
  });
  // A dose in the course opens on its vitals chart: its library loads once the course is drawn.
  useEffect(() => preloadChartsWhenIdle(), []);
  return (
    <ol
      ref={container}
      aria-label="Treatment course"
      style={{ margin: 0, padding: 0, listStyle: 'none' }}
      {...focusProps}
    >
      {slots.map((s) =>
        'gap' in s ? (
          <li key={s.key} aria-hidden style={{ height: s.gap }} />
        ) : (
          <li
            key={String(s.row.key)}
            data-index={s.row.index}
            ref={measure}
            aria-posinset={s.row.index + 1}
            aria-setsize={timeline.length}
            // The space between cards is part of the item, so its measured height counts it.
            style={{ paddingBottom: 'var(--mantine-spacing-xs)' }}
          >
            <EntryCard
              entry={timeline[s.row.index]!}
              patientId={patientId}
              restrictedNote={restrictedNoteOf(timeline[s.row.index]!, restricted)}
            />
          </li>
        ),
      )}
    </ol>
  );
}

const entryKey = (entry: Entry) => (entry.type === 'visit' ? entry.encounter.id : entry.record.id);

/** "Restricted note" on an empty visit of a day with records this role may not read. */
const restrictedNoteOf = (entry: Entry, restricted: ReturnType<typeof useRestrictedDays>) =>
  entry.type === 'visit' && entry.items.length === 0
    ? restrictedLabel(restricted, entry.encounter.start)
    : undefined;

/**
 * One entry of the course. Memoized: scrolling the course, and the restricted days arriving after
 * the records, re-draw only the entries whose content changed (issue 20, chart open).
 */
const EntryCard = memo(function EntryCard({
  entry,
  patientId,
  restrictedNote,
}: {
  entry: Entry;
  patientId: string;
  restrictedNote: string | undefined;
}) {
  const { visitActions } = useChartContributions();
  return entry.type === 'visit' ? (
    <Card withBorder padding="sm">
      <Group gap="xs" mb={4} justify="space-between">
        <Group gap="xs">
          <Text fw={600}>{VISIT_LABELS[entry.encounter.visitKind]}</Text>
          <Text size="sm" c="dimmed">
            {visitWords(entry.encounter).split(' · ').slice(1).join(' · ')}
          </Text>
          {entry.items.length === 0 && (
            <Badge variant="outline" color="gray" size="sm">
              {restrictedNote ?? 'Nothing charted'}
            </Badge>
          )}
        </Group>
        <Group gap={4}>
          {visitActions.map((Action, i) => (
            <Action key={i} patientId={patientId} visit={entry.encounter} />
          ))}
        </Group>
      </Group>
      {entry.items.length > 0 && (
        <Stack gap={4} component="ul" m={0} p={0} aria-label="Charted in this visit">
          {entry.items.map((r) => (
            <li key={r.id} style={{ listStyle: 'none' }}>
              <RecordSummary record={r} visit={entry.encounter} />
            </li>
          ))}
        </Stack>
      )}
    </Card>
  ) : (
    <Card withBorder padding="sm">
      <Text size="sm" c="dimmed">
        {formatDateTime(entry.date)}
      </Text>
      <RecordSummary record={entry.record} />
    </Card>
  );
});
