import { LineChart } from '../charts/LazyLineChart';
import { Card, Table, Text, Title } from '@mantine/core';
import type { DoseRecord } from '../../../shared/model';
import { doseGivenAt, thresholdsFor, vitalsSeries } from '../../../shared/rules/dosing';
import { formatTime } from '../../app/format';
import { useClinicSettings } from '../../app/use-records';
import { signedUnder, withApplied } from '../../db/clinic-settings-repository';
import { VITALS_LABELS } from './SessionHeader';
import { timeTicks } from './session-clock';

/** A chart time (ms) as the clock time; recharts also asks with no label while no point is hovered. */
const clock = (t: unknown) =>
  typeof t === 'number' && Number.isFinite(t) ? formatTime(new Date(t).toISOString()) : '';

/**
 * The session's readings as a table and a BP/HR chart on a true time axis (readings placed at
 * their clock times, not evenly spaced) with the clinic's BP threshold drawn. Readings are added
 * in the session header's one-line entry (SessionHeader.tsx), which also shows when the next is
 * due.
 */
export function VitalsCard(props: { dose: DoseRecord }) {
  const { dose } = props;
  // A signed dose is shown against the thresholds it was signed under.
  const settings = withApplied(useClinicSettings(), signedUnder(dose));
  const series = vitalsSeries(dose);
  const limit = thresholdsFor(dose.setting, settings);
  const startedAt = doseGivenAt(dose);
  const data = series.map((p) => ({ ...p, t: Date.parse(p.at) }));
  const top = Math.max(limit.maxSystolic, ...series.map((p) => p.systolic));

  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Vitals
      </Title>
      {series.length === 0 && <Text size="sm">No readings yet.</Text>}
      {series.length > 0 && (
        <Table striped aria-label="Vital signs" mb="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Reading</Table.Th>
              <Table.Th>BP</Table.Th>
              <Table.Th>HR</Table.Th>
              <Table.Th>SpO2</Table.Th>
              <Table.Th>RR</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...dose.vitals]
              .sort((a, b) => a.at.localeCompare(b.at))
              .map((v) => (
                <Table.Tr key={v.at + v.systolic}>
                  <Table.Td>{formatTime(v.at)}</Table.Td>
                  <Table.Td>{VITALS_LABELS[v.label]}</Table.Td>
                  <Table.Td>
                    {v.systolic}/{v.diastolic}
                  </Table.Td>
                  <Table.Td>{v.heartRate}</Table.Td>
                  <Table.Td>{v.spo2 ?? '—'}</Table.Td>
                  <Table.Td>{v.respiratoryRate ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
          </Table.Tbody>
        </Table>
      )}
      {series.length > 1 && (
        <div
          role="img"
          aria-label={`Blood pressure and heart rate over the session, by clock time; the clinic's blood pressure threshold ${limit.maxSystolic}/${limit.maxDiastolic} drawn`}
        >
          <LineChart
            h={240}
            mb="sm"
            data={data}
            dataKey="t"
            xAxisProps={{
              type: 'number',
              scale: 'time',
              domain: ['dataMin', 'dataMax'],
              ticks: timeTicks(data[0]?.t ?? 0, data[data.length - 1]?.t ?? 0),
              tickFormatter: clock,
            }}
            yAxisProps={{ domain: [40, Math.ceil((top + 10) / 10) * 10] }}
            tooltipProps={{
              labelFormatter: clock,
            }}
            referenceLines={[
              {
                y: limit.maxSystolic,
                label: `Systolic threshold ${limit.maxSystolic}`,
                color: 'red.7',
                strokeDasharray: '4 4',
                labelPosition: 'insideTopLeft',
              },
              {
                y: limit.maxDiastolic,
                label: `Diastolic threshold ${limit.maxDiastolic}`,
                color: 'orange.8',
                strokeDasharray: '4 4',
                labelPosition: 'insideTopLeft',
              },
              ...(startedAt && data.length && Date.parse(startedAt) >= data[0]!.t
                ? [
                    {
                      x: Date.parse(startedAt),
                      label: 'Dose',
                      color: 'gray.7',
                      labelPosition: 'insideTopRight' as const,
                    },
                  ]
                : []),
            ]}
            series={[
              { name: 'systolic', label: 'Systolic', color: 'red.8' },
              { name: 'diastolic', label: 'Diastolic', color: 'orange.8' },
              { name: 'heartRate', label: 'Heart rate', color: 'blue.8' },
            ]}
            withLegend
            curveType="linear"
          />
        </div>
      )}
    </Card>
  );
}
