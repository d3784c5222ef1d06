import {
  Badge,
  Button,
  Card,
  Group,
  Loader,
  SegmentedControl,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import { VISIT_LABELS, type VisitKind, ageOn, patientDisplayName } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { formatCalendarDate, formatDateTime } from '../../app/format';
import { usePatientRecords, useRecord } from '../../app/use-records';
import { CHART_ACTIONS, CHART_PANELS } from './chart-sections';
import { RecordSummary } from './RecordSummary';
import { buildTimeline } from './timeline';

const FILTERS: { value: VisitKind | 'all'; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'eligibility', label: 'Eligibility' },
  { value: 'preparation', label: 'Preparation' },
  { value: 'dosing', label: 'Dosing' },
  { value: 'integration', label: 'Integration' },
  { value: 'maintenance', label: 'Maintenance' },
];

export function PatientChartScreen({ patientId }: { patientId: string }) {
  const store = useStore();
  const [, navigate] = useLocation();
  const patient = useRecord('patient', patientId);
  const records = usePatientRecords(patientId);
  const [filter, setFilter] = useState<VisitKind | 'all'>('all');
  const timeline = useMemo(() => buildTimeline(records ?? [], filter), [records, filter]);

  // Viewing a chart is an audited access (HIPAA 45 CFR 164.312(b), audit controls).
  useEffect(() => {
    void store.audit('view', { recordKind: 'patient', recordId: patientId, patientId });
  }, [store, patientId]);

  if (patient === undefined) return <Loader aria-label="Opening chart" />;
  if (patient === null) return <Text>That patient could not be found.</Text>;

  return (
    <Stack gap="lg">
      <Card withBorder padding="lg">
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Title order={2}>{patientDisplayName(patient)}</Title>
            <Text c="dimmed">
              Born {formatCalendarDate(patient.dateOfBirth)} ·{' '}
              {ageOn(patient.dateOfBirth, new Date())} years
              {patient.pronouns ? ` · ${patient.pronouns}` : ''}
              {patient.chartNumber ? ` · Chart ${patient.chartNumber}` : ''}
            </Text>
            {patient.phone && <Text size="sm">Phone {patient.phone}</Text>}
          </Stack>
          <Group gap="xs">
            {CHART_ACTIONS.map((Action, i) => (
              <Action key={i} patientId={patientId} />
            ))}
            <Button variant="default" onClick={() => navigate(`/patients/${patientId}/edit`)}>
              Edit details
            </Button>
          </Group>
        </Group>
      </Card>

      {CHART_PANELS.map((Panel, i) => (
        <Panel key={i} patientId={patientId} />
      ))}

      <Group justify="space-between">
        <Title order={3}>Treatment course</Title>
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
        <Loader aria-label="Loading the course" />
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
        <Timeline bulletSize={14} lineWidth={2} aria-label="Treatment course">
          {timeline.map((entry) =>
            entry.type === 'visit' ? (
              <Timeline.Item
                key={entry.encounter.id}
                title={
                  <Group gap="xs">
                    <Text fw={600}>{VISIT_LABELS[entry.encounter.visitKind]}</Text>
                    <Text size="sm" c="dimmed">
                      {formatDateTime(entry.encounter.start)}
                    </Text>
                    {entry.items.length === 0 && (
                      <Badge variant="outline" color="gray" size="sm">
                        Nothing charted
                      </Badge>
                    )}
                  </Group>
                }
              >
                <Stack gap={4} mt={4}>
                  {entry.items.map((r) => (
                    <RecordSummary key={r.id} record={r} />
                  ))}
                </Stack>
              </Timeline.Item>
            ) : (
              <Timeline.Item
                key={entry.record.id}
                title={
                  <Text size="sm" c="dimmed">
                    {formatDateTime(entry.date)}
                  </Text>
                }
              >
                <RecordSummary record={entry.record} />
              </Timeline.Item>
            ),
          )}
        </Timeline>
      )}
    </Stack>
  );
}
