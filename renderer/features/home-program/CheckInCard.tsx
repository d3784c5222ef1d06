/**
 * The virtual check-in of an at-home session: pre-dose BP and HR as the patient or monitor
 * reported them, whether the named monitor is present, and the dose taken and when. Each part is
 * saved to the draft record as it is entered; the at-home thresholds (clinic settings, default
 * 160/90 and HR 100) are applied by the safety checks below it.
 */
import {
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  Radio,
  SimpleGrid,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { DoseRecord, HomePrescription } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { errorMessage, formatTime } from '../../app/format';
import { useClinicSettings } from '../../app/use-records';
import { addVitals, updateDose } from '../../db/dose-repository';
import { fromLocalInput, num, toLocalInput } from '../dosing/dose-form';
import { KeptDraftNotice } from '../dosing/KeptDraftNotice';
import { useValueDraft } from '../dosing/use-value-draft';

export function CheckInCard(props: {
  dose: DoseRecord;
  prescription: HomePrescription | undefined;
  readOnly: boolean;
}) {
  const { dose, prescription, readOnly } = props;
  const store = useStore();
  const settings = useClinicSettings();
  const [reading, setReading] = useState<{ sys?: number; dia?: number; hr?: number; at: string }>({
    at: '',
  });
  const [taken, setTaken] = useState({
    mg: dose.doseMg as number | undefined,
    at: toLocalInput(dose.administeredAt),
  });
  // A reported reading typed but not yet added survives reload, crash and auto-lock.
  const draft = useValueDraft(`home-check-in:${dose.id}`, reading, setReading, !readOnly);
  const [monitor, setMonitor] = useState(dose.monitorPresent);
  const [failure, setFailure] = useState<string>();
  const attempt = async (work: () => Promise<unknown>) => {
    setFailure(undefined);
    try {
      await work();
      return true;
    } catch (e) {
      setFailure(errorMessage(e));
      return false;
    }
  };
  const report = async () => {
    const ok = await attempt(() =>
      addVitals(store, dose.id, {
        at: fromLocalInput(reading.at) ?? new Date().toISOString(),
        systolic: reading.sys,
        diastolic: reading.dia,
        heartRate: reading.hr,
        label: 'baseline',
      }),
    );
    if (ok) {
      const empty = { at: '' };
      setReading(empty);
      await draft.clear(empty);
    }
  };
  const saveTaken = () =>
    attempt(async () => {
      if (!taken.mg) throw new Error('Enter the dose taken in mg.');
      const at = fromLocalInput(taken.at);
      if (!at) throw new Error('Enter when the dose was taken.');
      await updateDose(store, dose.id, { doseMg: taken.mg, administeredAt: at });
    });

  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="xs">
        Virtual check-in
      </Title>
      <KeptDraftNotice at={draft.restoredAt} />
      <Text size="sm" mb="sm">
        At-home limits: blood pressure above {settings.atHomeMaxSystolic}/
        {settings.atHomeMaxDiastolic} or heart rate above {settings.atHomeMaxHeartRate} needs an
        acknowledgement with the reason before the session can be signed.
      </Text>
      {dose.vitals.length > 0 && (
        <Table aria-label="Reported vitals" mb="sm" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Reported at</Table.Th>
              <Table.Th>BP</Table.Th>
              <Table.Th>HR</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {dose.vitals.map((v) => (
              <Table.Tr key={v.at}>
                <Table.Td>{formatTime(v.at)}</Table.Td>
                <Table.Td>
                  {v.systolic}/{v.diastolic}
                </Table.Td>
                <Table.Td>{v.heartRate}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {!readOnly && (
        <Group align="flex-end" mb="md">
          <NumberInput
            label="Reported systolic"
            w={140}
            value={reading.sys ?? ''}
            onChange={(v) => setReading({ ...reading, sys: num(v) })}
          />
          <NumberInput
            label="Reported diastolic"
            w={140}
            value={reading.dia ?? ''}
            onChange={(v) => setReading({ ...reading, dia: num(v) })}
          />
          <NumberInput
            label="Reported heart rate"
            w={150}
            value={reading.hr ?? ''}
            onChange={(v) => setReading({ ...reading, hr: num(v) })}
          />
          <TextInput
            label="Measured at"
            type="datetime-local"
            value={reading.at}
            onChange={(e) => setReading({ ...reading, at: e.currentTarget.value })}
          />
          <Button variant="default" onClick={() => void report()}>
            Add reported reading
          </Button>
        </Group>
      )}
      <Radio.Group
        mb="md"
        label={`Treatment monitor present${prescription ? ` (${prescription.monitorName})` : ''}`}
        value={monitor === undefined ? '' : String(monitor)}
        onChange={(v) => {
          setMonitor(v === 'true'); // shown at once; saved to the draft right after
          void attempt(() => updateDose(store, dose.id, { monitorPresent: v === 'true' }));
        }}
      >
        <Group gap="md" mt={4}>
          <Radio value="true" label="Present" disabled={readOnly} />
          <Radio value="false" label="Not present" disabled={readOnly} />
        </Group>
      </Radio.Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <NumberInput
          label="Dose taken (mg)"
          disabled={readOnly}
          value={taken.mg ?? ''}
          onChange={(v) => setTaken({ ...taken, mg: num(v) })}
        />
        <TextInput
          label="Taken at"
          type="datetime-local"
          disabled={readOnly}
          value={taken.at}
          onChange={(e) => setTaken({ ...taken, at: e.currentTarget.value })}
        />
        {!readOnly && (
          <Button mt={25} variant="default" onClick={() => void saveTaken()}>
            Save dose taken
          </Button>
        )}
      </SimpleGrid>
      {failure && (
        <Alert color="red" role="alert" mt="sm">
          {failure}
        </Alert>
      )}
    </Card>
  );
}
