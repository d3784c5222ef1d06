import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  List,
  SimpleGrid,
  Stack,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Discharge, DoseRecord } from '../../../shared/model';
import { dischargeMissing, earliestDischargeAt } from '../../../shared/rules/dosing';
import { useStore } from '../../app/app-state';
import { errorMessage, formatTime } from '../../app/format';
import { updateDose } from '../../db/dose-repository';
import { fromLocalInput, toLocalInput } from './dose-form';
import classes from './signed-record.module.css';
import { KeptDraftNotice } from './KeptDraftNotice';
import { useValueDraft } from './use-value-draft';

type Checks = Pick<
  Discharge,
  | 'vitalsNearBaseline'
  | 'sedationResolved'
  | 'dissociationResolved'
  | 'alertAndOriented'
  | 'noDrivingInstructionGiven'
>;
const CHECKS: [keyof Checks, string][] = [
  ['vitalsNearBaseline', 'Vital signs back near baseline'],
  ['sedationResolved', 'Sedation resolved'],
  ['dissociationResolved', 'Dissociation resolved'],
  ['alertAndOriented', 'Alert and oriented'],
  ['noDrivingInstructionGiven', 'Told: no driving until the next day after restful sleep'],
];

/** Discharge criteria, time, escort/transport; what is still missing before signing. */
export function DischargeCard(props: { dose: DoseRecord; readOnly: boolean }) {
  const { dose } = props;
  const store = useStore();
  const d = dose.discharge;
  const [at, setAt] = useState(toLocalInput(d?.at));
  const [checks, setChecks] = useState<Checks>({
    vitalsNearBaseline: d?.vitalsNearBaseline ?? false,
    sedationResolved: d?.sedationResolved ?? false,
    dissociationResolved: d?.dissociationResolved ?? false,
    alertAndOriented: d?.alertAndOriented ?? false,
    noDrivingInstructionGiven: d?.noDrivingInstructionGiven ?? false,
  });
  const [escortName, setEscort] = useState(d?.escortName ?? '');
  const [transport, setTransport] = useState(d?.transport ?? '');
  const [failure, setFailure] = useState<string>();
  const draft = useValueDraft(
    `dose-discharge:${dose.id}`,
    { at, checks, escortName, transport },
    (kept) => {
      setAt(kept.at);
      setChecks(kept.checks);
      setEscort(kept.escortName);
      setTransport(kept.transport);
    },
    !props.readOnly,
  );
  const missing = dischargeMissing(dose);
  const earliest = earliestDischargeAt(dose);

  const save = async () => {
    setFailure(undefined);
    try {
      await updateDose(store, dose.id, {
        discharge: {
          at: fromLocalInput(at) ?? new Date().toISOString(),
          ...checks,
          escortName: escortName.trim() || undefined,
          transport: transport.trim() || undefined,
        },
      });
      await draft.clear();
      notifications.show({ color: 'teal', message: 'Discharge saved' });
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };

  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Discharge
      </Title>
      <KeptDraftNotice at={draft.restoredAt} />
      {earliest && (
        <Alert color="blue" mb="sm">
          Esketamine: observe until at least {formatTime(earliest)} (2 hours after the dose).
        </Alert>
      )}
      <fieldset disabled={props.readOnly} className={classes.signed}>
        <Stack gap="xs">
          {CHECKS.map(([key, label]) => (
            <Checkbox
              key={key}
              label={label}
              checked={checks[key]}
              onChange={(e) => setChecks({ ...checks, [key]: e.currentTarget.checked })}
            />
          ))}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label="Discharged at"
              type="datetime-local"
              value={at}
              onChange={(e) => setAt(e.currentTarget.value)}
            />
            <TextInput
              label="Escort"
              value={escortName}
              onChange={(e) => setEscort(e.currentTarget.value)}
            />
            <TextInput
              label="Transport"
              value={transport}
              onChange={(e) => setTransport(e.currentTarget.value)}
            />
          </SimpleGrid>
        </Stack>
      </fieldset>
      {!props.readOnly && missing.length > 0 && (
        <Alert color="yellow" title="Discharge not complete" mt="sm">
          <List size="sm">
            {missing.map((m) => (
              <List.Item key={m}>{m}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {failure && (
        <Alert color="red" role="alert" mt="sm">
          {failure}
        </Alert>
      )}
      {!props.readOnly && (
        <Group justify="flex-end" mt="sm">
          <Button onClick={() => void save()}>Save discharge</Button>
        </Group>
      )}
    </Card>
  );
}
