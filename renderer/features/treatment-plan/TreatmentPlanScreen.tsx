/**
 * Write or revise a patient's treatment plan (issue 16 point 5): program, route, the dosing
 * sessions planned and how often, integration after each, the maintenance interval and the goals
 * (offered from the preparation note). Signed with the passphrase; a revision is a new version and
 * the old one is kept. What is typed is kept, encrypted, across reload and lock (useFormDraft)
 * until the plan is signed.
 */
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
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
import { DOSE_FREQUENCIES, FREQUENCY_LABELS } from '../../../shared/model';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { errorMessage, formatDate, formatDateTime } from '../../app/format';
import { useFormDraft } from '../../app/use-form-draft';
import { useClinicSettings } from '../../app/use-records';
import { signTreatmentPlan } from '../../db/treatment-plan-repository';
import { PatientBanner } from '../chart/PatientBanner';
import { num, routeOptions } from '../dosing/dose-form';
import { type PlanValues, planInput, planProblems, startingValues } from './plan-form';
import { type PlanFormData, usePlanFormData } from './use-treatment-plan';

const frequencyOptions = DOSE_FREQUENCIES.map((value) => ({
  value,
  label: FREQUENCY_LABELS[value],
}));

export function TreatmentPlanScreen({ patientId }: { patientId: string }) {
  const store = useStore();
  const data = usePlanFormData(patientId);
  if (!can(store.roles, 'sign', 'treatment-plan'))
    return <Text>Your role does not write treatment plans.</Text>;
  if (!data) return <Loader role="status" aria-label="Opening the treatment plan" />;
  // Mounted once the plan in force is known: the form starts from it and the kept draft over it.
  return <PlanForm patientId={patientId} data={data} />;
}

function PlanForm({ patientId, data }: { patientId: string; data: PlanFormData }) {
  const store = useStore();
  const [, navigate] = useLocation();
  const settings = useClinicSettings();
  const current = data.plan?.plan;
  const form = useForm<PlanValues>({
    defaultValues: startingValues(current, data.currentProgram, settings.timeZone),
  });
  const draft = useFormDraft(`treatment-plan:${patientId}`, form);
  const [failure, setFailure] = useState<string>();
  const [signing, setSigning] = useState(false);
  const prep = data.preparation;

  const number = (name: Path<PlanValues>, label: string, description?: string) => (
    <Controller
      control={form.control}
      name={name}
      render={({ field }) => (
        <NumberInput
          label={label}
          description={description}
          min={1}
          max={52}
          allowDecimal={false}
          value={field.value as number | ''}
          onChange={(v) => field.onChange(num(v) ?? '')}
        />
      )}
    />
  );
  const select = (
    name: Path<PlanValues>,
    label: string,
    description: string,
    options: { value: string; label: string }[],
  ) => (
    <Controller
      control={form.control}
      name={name}
      render={({ field }) => (
        <Select
          label={label}
          description={description}
          data={options}
          allowDeselect={false}
          value={(field.value as string) || null}
          onChange={(v) => v && field.onChange(v)}
        />
      )}
    />
  );

  return (
    <Stack gap="md" maw={900}>
      <PatientBanner patientId={patientId} />
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2}>{current ? 'Revise the treatment plan' : 'Treatment plan'}</Title>
          <Text size="sm" c="dimmed">
            {current
              ? `Replaces the plan signed ${formatDateTime(current.signature?.at ?? current.writtenAt)} by ${current.signature?.byName ?? 'a clinician'}; that version is kept.`
              : 'The course planned with the patient: how many dosing sessions, how often, and what follows them.'}
          </Text>
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
      <Card withBorder>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {select('program', 'Program', 'As booked and consented', data.programs)}
            {select('route', 'Route', 'How the doses are given', routeOptions)}
            <TextInput
              type="date"
              label="Course starts on"
              description="Signed doses from this day count"
              {...form.register('startsOn')}
            />
            {number('plannedDoses', 'Dosing sessions planned', 'e.g. 6 IV infusions')}
            {select('frequency', 'How often', 'The next dose is due after', frequencyOptions)}
            {number('maintenanceIntervalWeeks', 'Maintenance every (weeks)', 'Empty: decide later')}
          </SimpleGrid>
          <Controller
            control={form.control}
            name="integrationAfterEach"
            render={({ field }) => (
              <Checkbox
                label="An integration session after each dosing session"
                checked={field.value}
                onChange={(e) => field.onChange(e.currentTarget.checked)}
              />
            )}
          />
        </Stack>
      </Card>
      <Card withBorder>
        <Stack gap="xs">
          <Textarea
            label="Goals"
            description="What the patient hopes to change, in their words; reviewed in each integration summary"
            autosize
            minRows={4}
            {...form.register('goals')}
          />
          {prep && (
            <Group gap="xs">
              <Button
                variant="light"
                size="compact-sm"
                onClick={() => {
                  const now = form.getValues('goals').trim();
                  form.setValue('goals', now ? `${now}\n${prep.text}` : prep.text, {
                    shouldDirty: true,
                  });
                  form.setValue('goalsFromNoteId', prep.noteId, { shouldDirty: true });
                }}
              >
                Take the intentions from the preparation note
              </Button>
              <Text size="xs" c="dimmed">
                Note of {formatDate(prep.writtenAt)}
              </Text>
            </Group>
          )}
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
            const missing = planProblems(form.getValues());
            setFailure(missing.length ? `Before signing: ${missing.join('; ')}.` : undefined);
            if (!missing.length) setSigning(true);
          }}
        >
          Sign plan
        </Button>
      </Group>
      <ConfirmPassphraseDialog
        opened={signing}
        title="Sign the treatment plan"
        explanation="Signing puts this plan in force; it cannot be changed afterwards (a revision is a new version, and this one is kept)."
        confirmLabel="Sign"
        onClose={() => setSigning(false)}
        onConfirmed={async () => {
          const values = form.getValues();
          try {
            await signTreatmentPlan(
              store,
              planInput(patientId, values),
              values.basedOn || undefined,
            );
          } catch (e) {
            // Refused by a rule, not a wrong passphrase: keep everything typed and say why.
            setFailure(errorMessage(e));
            return;
          }
          await draft.clear();
          notifications.show({ color: 'teal', message: 'Treatment plan signed' });
          navigate(`/patients/${patientId}`);
        }}
      />
    </Stack>
  );
}
