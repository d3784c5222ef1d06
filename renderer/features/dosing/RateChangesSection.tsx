import {
  Button,
  Card,
  Group,
  List,
  NumberInput,
  SimpleGrid,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { DoseRecord } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { errorMessage, formatTime } from '../../app/format';
import { addBolus, addRateChange } from '../../db/dose-repository';
import { fromLocalInput, num, toLocalInput } from './dose-form';

/** Infusion rate changes with their reasons (0 mg/h records a pause, e.g. for a BP rise). */
export function RateChangesSection(props: { dose: DoseRecord; readOnly: boolean }) {
  const { dose } = props;
  const store = useStore();
  const [at, setAt] = useState('');
  const [rate, setRate] = useState<number>();
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string>();
  const add = async () => {
    setFailure(undefined);
    try {
      await addRateChange(store, dose.id, {
        at: fromLocalInput(at || toLocalInput(new Date().toISOString())),
        mgPerHour: rate,
        reason,
      });
      setRate(undefined);
      setReason('');
      setAt('');
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Infusion rate changes and boluses
      </Title>
      {dose.rateChanges.length === 0 ? (
        <Text size="sm">None recorded.</Text>
      ) : (
        <List size="sm" aria-label="Rate changes">
          {dose.rateChanges.map((c) => (
            <List.Item key={c.at}>
              {formatTime(c.at)} · {c.mgPerHour === 0 ? 'paused' : `${c.mgPerHour} mg/h`} —{' '}
              {c.reason}
            </List.Item>
          ))}
        </List>
      )}
      {!props.readOnly && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }} mt="sm">
            <TextInput
              label="Changed at"
              type="datetime-local"
              value={at}
              onChange={(e) => setAt(e.currentTarget.value)}
            />
            <NumberInput
              label="New rate (mg/h)"
              min={0}
              value={rate ?? ''}
              onChange={(v) => setRate(num(v))}
            />
            <TextInput
              label="Reason for the change"
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
          </SimpleGrid>
          {failure && (
            <Text c="red.9" size="sm" role="alert" mt="xs">
              {failure}
            </Text>
          )}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={() => void add()}>
              Add rate change
            </Button>
          </Group>
        </>
      )}
      <BolusSection dose={dose} readOnly={props.readOnly} />
    </Card>
  );
}

/** Boluses during the infusion: they count in the total given, mg/kg and the log (issue 15). */
function BolusSection(props: { dose: DoseRecord; readOnly: boolean }) {
  const { dose } = props;
  const store = useStore();
  const [at, setAt] = useState('');
  const [mg, setMg] = useState<number>();
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string>();
  const add = async () => {
    setFailure(undefined);
    try {
      await addBolus(store, dose.id, {
        at: fromLocalInput(at || toLocalInput(new Date().toISOString())),
        mg,
        reason,
      });
      setMg(undefined);
      setReason('');
      setAt('');
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };
  return (
    <>
      <Title order={4} size="h5" mt="md" mb="xs">
        Boluses
      </Title>
      {dose.boluses.length === 0 ? (
        <Text size="sm">None given.</Text>
      ) : (
        <List size="sm" aria-label="Boluses">
          {dose.boluses.map((b) => (
            <List.Item key={b.at}>
              {formatTime(b.at)} · {b.mg} mg — {b.reason}
            </List.Item>
          ))}
        </List>
      )}
      {!props.readOnly && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }} mt="sm">
            <TextInput
              label="Bolus given at"
              type="datetime-local"
              value={at}
              onChange={(e) => setAt(e.currentTarget.value)}
            />
            <NumberInput
              label="Bolus (mg)"
              min={0}
              value={mg ?? ''}
              onChange={(v) => setMg(num(v))}
            />
            <TextInput
              label="Reason for the bolus"
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
          </SimpleGrid>
          {failure && (
            <Text c="red.9" size="sm" role="alert" mt="xs">
              {failure}
            </Text>
          )}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={() => void add()}>
              Add bolus
            </Button>
          </Group>
        </>
      )}
    </>
  );
}
