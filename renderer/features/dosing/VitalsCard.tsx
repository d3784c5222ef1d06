import { LineChart } from '@mantine/charts';
import {
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { DoseRecord, VitalSigns } from '../../../shared/model';
import { nextVitalsDue, vitalsSeries } from '../../../shared/rules/dosing';
import { useStore } from '../../app/app-state';
import { errorMessage, formatTime } from '../../app/format';
import { useClinicSettings } from '../../app/use-records';
import { addVitals } from '../../db/dose-repository';
import { fromLocalInput, num, toLocalInput } from './dose-form';
import { KeptDraftNotice } from './KeptDraftNotice';
import { useValueDraft } from './use-value-draft';

const LABELS: Record<VitalSigns['label'], string> = {
  baseline: 'Baseline',
  interval: 'Interval',
  'post-dose-40': '~40 min after dose',
  'pre-discharge': 'Before discharge',
};

/** BP, HR, SpO2, RR as a time series, the "vitals due" reminder and a live BP/HR chart. */
export function VitalsCard(props: { dose: DoseRecord; now: Date; readOnly: boolean }) {
  const { dose, now } = props;
  const store = useStore();
  const settings = useClinicSettings();
  const due = props.readOnly ? undefined : nextVitalsDue(dose, now, settings.vitalsIntervalMinutes);
  const [r, setR] = useState<{
    sys?: number;
    dia?: number;
    hr?: number;
    spo2?: number;
    rr?: number;
    at: string;
    label?: string;
  }>({ at: '' });
  // A reading typed but not yet added survives reload, crash and auto-lock.
  const draft = useValueDraft(`dose-vitals:${dose.id}`, r, setR, !props.readOnly);
  const [failure, setFailure] = useState<string>();
  const series = vitalsSeries(dose);
  const label = (r.label ?? due?.label ?? 'interval') as VitalSigns['label'];

  const add = async () => {
    setFailure(undefined);
    try {
      await addVitals(store, dose.id, {
        at: fromLocalInput(r.at) ?? new Date().toISOString(),
        systolic: r.sys,
        diastolic: r.dia,
        heartRate: r.hr,
        spo2: r.spo2,
        respiratoryRate: r.rr,
        label,
      });
      const empty = { at: '' };
      setR(empty);
      await draft.clear(empty);
    } catch (e) {
      setFailure(errorMessage(e).replace(/\n/g, ' '));
    }
  };

  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Vitals
      </Title>
      <KeptDraftNotice at={draft.restoredAt} />
      {due && (
        <Alert color={due.overdue ? 'orange' : 'blue'} role="status" title="Vitals due" mb="sm">
          {due.text} — {due.overdue ? 'overdue since' : 'due at'} {formatTime(due.dueAt)}
        </Alert>
      )}
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
                  <Table.Td>{LABELS[v.label]}</Table.Td>
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
        <div role="img" aria-label="Blood pressure and heart rate over the session">
          <LineChart
            h={200}
            mb="sm"
            data={series.map((p) => ({ ...p, time: `${p.minute} min` }))}
            dataKey="time"
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
      {!props.readOnly && (
        <>
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <NumberInput
              label="Systolic"
              value={r.sys ?? ''}
              onChange={(v) => setR({ ...r, sys: num(v) })}
            />
            <NumberInput
              label="Diastolic"
              value={r.dia ?? ''}
              onChange={(v) => setR({ ...r, dia: num(v) })}
            />
            <NumberInput
              label="Heart rate"
              value={r.hr ?? ''}
              onChange={(v) => setR({ ...r, hr: num(v) })}
            />
            <NumberInput
              label="SpO2 (%)"
              value={r.spo2 ?? ''}
              onChange={(v) => setR({ ...r, spo2: num(v) })}
            />
            <NumberInput
              label="Resp. rate"
              value={r.rr ?? ''}
              onChange={(v) => setR({ ...r, rr: num(v) })}
            />
            <Select
              label="Reading"
              data={Object.entries(LABELS).map(([value, l]) => ({ value, label: l }))}
              value={label}
              allowDeselect={false}
              onChange={(v) => setR({ ...r, label: v ?? undefined })}
            />
            <TextInput
              label="Taken at"
              type="datetime-local"
              value={r.at || toLocalInput(now.toISOString())}
              onChange={(e) => setR({ ...r, at: e.currentTarget.value })}
            />
          </SimpleGrid>
          {failure && (
            <Text c="red.9" size="sm" role="alert" mt="xs">
              {failure}
            </Text>
          )}
          <Group justify="flex-end" mt="sm">
            <Button onClick={() => void add()}>Add vitals</Button>
          </Group>
        </>
      )}
    </Card>
  );
}
