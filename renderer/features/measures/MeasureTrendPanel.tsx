import { LineChart } from '@mantine/charts';
import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { ReferenceArea } from 'recharts';
import { INSTRUMENTS } from '../../../shared/model';
import { MEASURES } from '../../../shared/rules/measures';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { formatDate, formatDateTime } from '../../app/format';
import { measureTrend } from '../../db/measures-repository';
import { LEVEL_COLOR } from './levels';
import { usePatientMeasures } from './use-patient-measures';

/** Totals across the course, one chart per instrument, on the instrument's shaded severity bands. */
export function MeasureTrendPanel({ patientId }: { patientId: string }) {
  const store = useStore();
  const data = usePatientMeasures(patientId);
  const trends = useMemo(
    () =>
      INSTRUMENTS.flatMap((instrument) => {
        const scale = MEASURES[instrument].scale;
        const points = measureTrend(data?.measures ?? [], instrument);
        return scale && points.length > 0 ? [{ instrument, scale, points }] : [];
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
        {trends.map(({ instrument, scale, points }) => {
          const def = MEASURES[instrument];
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
              <div
                role="img"
                aria-label={`${def.shortName} trend: ${points.map((p) => `${formatDate(p.at)} ${p.total}`).join(', ')}`}
              >
                <LineChart
                  h={200}
                  data={rows}
                  dataKey="date"
                  series={[{ name: def.shortName, color: 'blue.8' }]}
                  curveType="linear"
                  withDots
                  yAxisProps={{
                    domain: [scale.min, scale.max],
                    ticks: [...scale.bands.map((b) => b.min), scale.max],
                    interval: 0,
                  }}
                  gridAxis="none"
                >
                  {scale.bands.map((b, i) => (
                    <ReferenceArea
                      key={b.key}
                      yAxisId="left"
                      y1={b.min}
                      y2={scale.bands[i + 1]?.min ?? scale.max}
                      fill={`var(--mantine-color-${LEVEL_COLOR[b.level]}-4)`}
                      fillOpacity={0.18}
                      ifOverflow="hidden"
                      label={{
                        value: b.label,
                        position: 'insideTopRight',
                        fontSize: 10,
                        fill: '#444',
                      }}
                    />
                  ))}
                </LineChart>
              </div>
            </Stack>
          );
        })}
      </SimpleGrid>
    </Card>
  );
}
