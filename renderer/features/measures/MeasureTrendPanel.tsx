import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense, useMemo } from 'react';
import { INSTRUMENTS } from '../../../shared/model';
import {
  MEASURES,
  OUTCOME_DEFINITIONS,
  type ScoreChange,
  courseOutcome,
} from '../../../shared/rules/measures';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { formatDate, formatDateTime } from '../../app/format';
import { measureTrend } from '../../db/measures-repository';
import { usePatientMeasures } from './use-patient-measures';

// The chart library (recharts, ~400 kB) loads when a chart with scores first shows (issue 20).
const MeasureTrendChart = lazy(() =>
  import('./MeasureTrendChart').then((m) => ({ default: m.MeasureTrendChart })),
);

/** Totals across the course, one chart per instrument, on the instrument's shaded severity bands. */
export function MeasureTrendPanel({ patientId }: { patientId: string }) {
  const store = useStore();
  const data = usePatientMeasures(patientId);
  const trends = useMemo(
    () =>
      INSTRUMENTS.flatMap((instrument) => {
        const scale = MEASURES[instrument].scale;
        const points = measureTrend(data?.measures ?? [], instrument);
        const outcome = courseOutcome(instrument, points);
        return scale && points.length > 0 ? [{ instrument, scale, points, outcome }] : [];
      }),
    [data],
  );
  if (!can(store.roles, 'read', 'measure') || trends.length === 0) return null;

  return (
    <Card withBorder padding="lg" role="region" aria-label="Outcome measures">
      <Title order={3} size="h4" mb="sm">
        Outcome measures
      </Title>
      <SimpleGrid cols={{ base: 1, md: trends.length > 1 ? 2 : 1 }} spacing="lg">
        {trends.map(({ instrument, scale, points, outcome }) => {
          const def = MEASURES[instrument];
          const rules = OUTCOME_DEFINITIONS[instrument];
          const baseline = outcome?.baseline.total ?? 0;
          const responseAt =
            rules?.responseDrop != null && points.length > 1 && baseline > 0
              ? baseline * (1 - rules.responseDrop)
              : undefined;
          const last = points.at(-1)!;
          const byDay = points.map((p) => formatDate(p.at));
          // Several scores on one day (induction series) need the time to tell them apart.
          const label = new Set(byDay).size < byDay.length ? formatDateTime : formatDate;
          const rows = points.map((p) => ({ date: label(p.at), [def.shortName]: p.total }));
          return (
            <Stack key={instrument} gap={4}>
              <Text fw={600}>
                {def.shortName}{' '}
                <Text span size="sm" c="dimmed">
                  latest {last.total} ({last.band}), {points.length} score
                  {points.length === 1 ? '' : 's'}
                </Text>
              </Text>
              {outcome && !outcome.isBaseline && <OutcomeLine outcome={outcome} />}
              <div
                role="img"
                aria-label={`${def.shortName} trend: ${points.map((p) => `${formatDate(p.at)} ${p.total}`).join(', ')}`}
              >
                <Suspense fallback={<div style={{ height: 200 }} />}>
                  <MeasureTrendChart
                    rows={rows}
                    name={def.shortName}
                    scale={scale}
                    responseAt={responseAt}
                    remissionBelow={
                      points.length > 1 ? (rules?.remissionBelow ?? undefined) : undefined
                    }
                  />
                </Suspense>
              </div>
              {rules && points.length > 1 && (
                <Text size="xs" c="dimmed">
                  {rules.source}
                </Text>
              )}
            </Stack>
          );
        })}
      </SimpleGrid>
    </Card>
  );
}

/** "Baseline 20 (Dec 1) → 4: −16 points (−80 %) · Response · Remission". */
function OutcomeLine({ outcome }: { outcome: ScoreChange }) {
  const sign = outcome.change > 0 ? '+' : outcome.change < 0 ? '−' : '±';
  return (
    <Group gap={6} aria-label="Change since baseline" role="group">
      <Text size="sm">
        Baseline {outcome.baseline.total} ({formatDate(outcome.baseline.at)}) →{' '}
        {outcome.point.total}: {sign}
        {Math.abs(outcome.change)} points
        {outcome.percent !== null ? ` (${sign}${Math.abs(outcome.percent)} %)` : ''}
      </Text>
      {outcome.response && (
        <Badge color="teal" variant="light" tt="none">
          Response
        </Badge>
      )}
      {outcome.remission && (
        <Badge color="teal" variant="filled" tt="none">
          Remission
        </Badge>
      )}
      {outcome.meaningfulImprovement && (
        <Badge color="teal" variant="light" tt="none">
          Clinically meaningful improvement
        </Badge>
      )}
    </Group>
  );
}
