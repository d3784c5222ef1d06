import { Alert, Card, Checkbox, List, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import type { DoseRecord } from '../../../shared/model';
import { dischargeMissing, earliestDischargeAt } from '../../../shared/rules/dosing';
import { formatTime } from '../../app/format';
import { fromLocalInput } from './dose-form';
import { DISCHARGE_FIELDS, dischargeHeld } from './dose-record-form';
import classes from './signed-record.module.css';
import type { DoseAutosave } from './use-dose-autosave';

type Check =
  | 'vitalsNearBaseline'
  | 'sedationResolved'
  | 'dissociationResolved'
  | 'alertAndOriented'
  | 'noDrivingInstructionGiven';
const CHECKS: [Check, string][] = [
  ['vitalsNearBaseline', 'Vital signs back near baseline'],
  ['sedationResolved', 'Sedation resolved'],
  ['dissociationResolved', 'Dissociation resolved'],
  ['alertAndOriented', 'Alert and oriented'],
  ['noDrivingInstructionGiven', 'Told: no driving until the next day after restful sleep'],
];

/**
 * Discharge criteria, time, escort/transport; what is still missing before signing. The fields
 * autosave with the rest of the record (use-dose-autosave.ts); the discharge enters the record
 * once its time is given (before that, a ticked criterion would end the session's reminders).
 */
export function DischargeCard(props: {
  dose: DoseRecord;
  autosave: DoseAutosave;
  readOnly: boolean;
}) {
  const { dose } = props;
  const { form, set, refused } = props.autosave;
  const at = fromLocalInput(form.dischargedAt);
  // Judged on what is on screen, as it will be in the record.
  const shown: DoseRecord = at
    ? {
        ...dose,
        discharge: {
          at,
          vitalsNearBaseline: form.vitalsNearBaseline,
          sedationResolved: form.sedationResolved,
          dissociationResolved: form.dissociationResolved,
          alertAndOriented: form.alertAndOriented,
          noDrivingInstructionGiven: form.noDrivingInstructionGiven,
          escortName: form.escortName.trim() || undefined,
          transport: form.transport.trim() || undefined,
        },
      }
    : dose;
  const missing = dischargeMissing(shown);
  const earliest = earliestDischargeAt(dose);
  const problems = DISCHARGE_FIELDS.map((k) => refused[k]).filter(Boolean);

  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Discharge
      </Title>
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
              checked={form[key]}
              onChange={(e) => set({ [key]: e.currentTarget.checked })}
            />
          ))}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label="Discharged at"
              type="datetime-local"
              value={form.dischargedAt}
              onChange={(e) => set({ dischargedAt: e.currentTarget.value })}
            />
            <TextInput
              label="Escort"
              value={form.escortName}
              onChange={(e) => set({ escortName: e.currentTarget.value })}
            />
            <TextInput
              label="Transport"
              value={form.transport}
              onChange={(e) => set({ transport: e.currentTarget.value })}
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
      {!props.readOnly && dischargeHeld(form, dose) && (
        <Alert color="orange" mt="sm">
          Not in the record yet: enter the discharge time to record the discharge (what is ticked is
          kept on this computer until then).
        </Alert>
      )}
      {problems.map((p) => (
        <Alert key={p} color="red" role="alert" mt="sm">
          {p}
        </Alert>
      ))}
    </Card>
  );
}
