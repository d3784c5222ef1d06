/**
 * Write an at-home prescription (issue 4, item 7): strength, quantity, number of sessions allowed,
 * refills, dosing instructions and the named treatment monitor; signed by the prescriber with their
 * passphrase. Ketamine only: esketamine is in-office (Spravato REMS). What is typed is kept,
 * encrypted, across reload and lock (useFormDraft) until the prescription is signed.
 */
import {
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Controller, useForm, type Path } from 'react-hook-form';
import { useLocation } from 'wouter';
import { patientDisplayName } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { errorMessage, formatDateTime } from '../../app/format';
import { useFormDraft } from '../../app/use-form-draft';
import { useRecord } from '../../app/use-records';
import { prescribeHomeProgram } from '../../db/home-program-repository';
import { num } from '../dosing/dose-form';
import { FORM_LABELS } from './use-home-programs';

type Values = {
  form: 'sublingual-troche' | 'oral-tablet';
  strengthMg: number | '';
  quantity: number | '';
  sessionsAllowed: number | '';
  refillsAllowed: number | '';
  instructions: string;
  monitorName: string;
  monitorPhone: string;
};

const BLANK: Values = {
  form: 'sublingual-troche',
  strengthMg: '',
  quantity: '',
  sessionsAllowed: '',
  refillsAllowed: 0,
  instructions: '',
  monitorName: '',
  monitorPhone: '',
};

const whole = (v: number | '') => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** What the prescription still lacks, in the prescriber's words (the schema checks again). */
function problems(v: Values): string[] {
  const out: string[] = [];
  if (!(typeof v.strengthMg === 'number' && v.strengthMg > 0)) out.push('enter the strength in mg');
  if (!whole(v.quantity)) out.push('enter the quantity dispensed (a whole number)');
  if (!whole(v.sessionsAllowed)) out.push('enter the number of sessions allowed (a whole number)');
  if (!(v.refillsAllowed === '' || (Number.isInteger(v.refillsAllowed) && v.refillsAllowed >= 0)))
    out.push('refills allowed is a whole number, 0 or more');
  if (!v.instructions.trim()) out.push('write the dosing instructions');
  if (!v.monitorName.trim()) out.push('name the treatment monitor');
  return out;
}

export function HomePrescriptionScreen({ patientId }: { patientId: string }) {
  const store = useStore();
  const [, navigate] = useLocation();
  const patient = useRecord('patient', patientId);
  const form = useForm<Values>({ defaultValues: BLANK });
  const draft = useFormDraft(`home-prescription-new:${patientId}`, form);
  const [failure, setFailure] = useState<string>();
  const [signing, setSigning] = useState(false);

  const body = (v: Values) => ({
    patientId,
    medication: 'ketamine-hcl' as const,
    form: v.form,
    strengthMg: Number(v.strengthMg) || 0,
    quantity: Number(v.quantity) || 0,
    sessionsAllowed: Number(v.sessionsAllowed) || 0,
    refillsAllowed: Number(v.refillsAllowed) || 0,
    instructions: v.instructions.trim(),
    monitorName: v.monitorName,
    monitorPhone: v.monitorPhone.trim() || undefined,
  });
  const number = (name: Path<Values>, label: string, description?: string) => (
    <Controller
      control={form.control}
      name={name}
      render={({ field }) => (
        <NumberInput
          label={label}
          description={description}
          min={0}
          value={field.value as number | ''}
          onChange={(v) => field.onChange(num(v) ?? '')}
        />
      )}
    />
  );

  return (
    <Stack gap="md" maw={800}>
      <Group justify="space-between">
        <Stack gap={0}>
          <Title order={2}>At-home prescription</Title>
          <Text size="sm">{patient ? patientDisplayName(patient) : ''}</Text>
        </Stack>
        <Button variant="default" onClick={() => navigate(`/patients/${patientId}`)}>
          Back to chart
        </Button>
      </Group>
      {draft.restoredAt && (
        <Alert color="blue" role="status">
          What you typed on {formatDateTime(draft.restoredAt)} was kept.
        </Alert>
      )}
      <Text size="sm">
        Ketamine troches or tablets taken at home during a video check-in, with the named treatment
        monitor present. Esketamine is given in the clinic only.
      </Text>
      <Card withBorder>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Controller
              control={form.control}
              name="form"
              render={({ field }) => (
                <Select
                  label="Form"
                  data={Object.entries(FORM_LABELS).map(([value, label]) => ({ value, label }))}
                  allowDeselect={false}
                  value={field.value}
                  onChange={(v) => v && field.onChange(v)}
                />
              )}
            />
            {number('strengthMg', 'Strength (mg per troche or tablet)')}
            {number('quantity', 'Quantity dispensed')}
            {number('sessionsAllowed', 'Sessions allowed', 'Each charted session counts one')}
            {number('refillsAllowed', 'Refills allowed')}
          </SimpleGrid>
          <Textarea
            label="Dosing instructions"
            autosize
            minRows={3}
            {...form.register('instructions')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Treatment monitor" {...form.register('monitorName')} />
            <TextInput label="Monitor's phone" {...form.register('monitorPhone')} />
          </SimpleGrid>
        </Stack>
      </Card>
      {failure && (
        <Alert color="red" role="alert" title="Not signed">
          {failure}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button
          onClick={() => {
            const missing = problems(form.getValues());
            setFailure(missing.length ? `Before signing: ${missing.join('; ')}.` : undefined);
            if (!missing.length) setSigning(true);
          }}
        >
          Sign prescription
        </Button>
      </Group>
      <ConfirmPassphraseDialog
        opened={signing}
        title="Sign the at-home prescription"
        explanation="Signing issues this prescription; it cannot be changed afterwards (refills are new prescriptions)."
        confirmLabel="Sign"
        onClose={() => setSigning(false)}
        onConfirmed={async () => {
          try {
            await prescribeHomeProgram(store, body(form.getValues()));
          } catch (e) {
            // Refused by a rule, not a wrong passphrase: keep everything typed and say why.
            setFailure(errorMessage(e));
            return;
          }
          await draft.clear();
          notifications.show({ color: 'teal', message: 'At-home prescription signed' });
          navigate(`/patients/${patientId}`);
        }}
      />
    </Stack>
  );
}
