import { Badge, Card, Group, Loader, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { VISIT_LABELS, type VisitKind } from '../../../shared/model';
import { formatDateTime } from '../../app/format';
import { usePatientRecords } from '../../app/use-records';
import { useChartContributions } from '../../app/contributions';
import { restrictedLabel, useRestrictedDays } from '../../app/use-restricted-days';
import { RecordSummary } from './RecordSummary';
import { visitWords } from './VisitFacts';
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
  const { visitActions } = useChartContributions();
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
        <Stack gap="xs" component="ol" aria-label="Treatment course" m={0} p={0}>
          {timeline.map((entry) =>
            entry.type === 'visit' ? (
              <Card
                key={entry.encounter.id}
                component="li"
                withBorder
                padding="sm"
                style={{ listStyle: 'none' }}
              >
                <Group gap="xs" mb={4} justify="space-between">
                  <Group gap="xs">
                    <Text fw={600}>{VISIT_LABELS[entry.encounter.visitKind]}</Text>
                    <Text size="sm" c="dimmed">
                      {visitWords(entry.encounter).split(' · ').slice(1).join(' · ')}
                    </Text>
                    {entry.items.length === 0 && (
                      <Badge variant="outline" color="gray" size="sm">
                        {restrictedLabel(restricted, entry.encounter.start) ?? 'Nothing charted'}
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
              <Card
                key={entry.record.id}
                component="li"
                withBorder
                padding="sm"
                style={{ listStyle: 'none' }}
              >
                <Text size="sm" c="dimmed">
                  {formatDateTime(entry.date)}
                </Text>
                <RecordSummary record={entry.record} />
              </Card>
            ),
          )}
        </Stack>
      )}
    </Stack>
  );
}
