import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert,
  Button,
  Card,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { ClinicSettingsBody } from '../../../shared/model';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { saveClinicDetails } from '../../db/clinic-settings-repository';
import { ClinicContraindicationsField } from '../eligibility/ClinicContraindicationsField';
import { useClinicSettings } from '../../app/use-records';

type Values = ClinicSettingsBody;

export function ClinicSettingsPanel() {
  const store = useStore();
  const current = useClinicSettings();
  const editable = can(store.roles, 'write', 'clinic-settings');
  const [failure, setFailure] = useState<string>();
  const form = useForm<Values>({
    resolver: zodResolver(ClinicSettingsBody) as never,
    defaultValues: ClinicSettingsBody.parse(current),
  });
  const { errors, isSubmitting } = form.formState;
  useEffect(() => form.reset(ClinicSettingsBody.parse(current)), [current.id]); // reload when the stored record arrives

  const submit = form.handleSubmit(async (values) => {
    setFailure(undefined);
    try {
      await saveClinicDetails(store, values);
      notifications.show({ color: 'teal', message: 'Clinic settings saved' });
    } catch (e) {
      setFailure(errorMessage(e));
    }
  });

  const number = (name: keyof Values, label: string, description?: string) => (
    <Controller
      control={form.control}
      name={name}
      render={({ field }) => (
        <NumberInput
          label={label}
          description={description}
          value={field.value as number}
          onChange={(v) => field.onChange(typeof v === 'number' ? v : Number(v))}
          error={errors[name]?.message}
          disabled={!editable}
        />
      )}
    />
  );

  return (
    <form onSubmit={submit} noValidate>
      <Card withBorder padding="lg">
        <Stack gap="md">
          {!editable && (
            <Text size="sm" c="dimmed">
              Only an administrator can change clinic settings.
            </Text>
          )}
          <TextInput
            label="Clinic name"
            {...form.register('clinicName')}
            error={errors.clinicName?.message}
            disabled={!editable}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Clinic address" {...form.register('address')} disabled={!editable} />
            <TextInput label="Clinic phone" {...form.register('phone')} disabled={!editable} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {number(
              'autoLockMinutes',
              'Lock after inactivity (minutes)',
              'HIPAA automatic logoff; 10 minutes is the default',
            )}
            {number('unsignedNoteAlertDays', 'List unsigned notes after (days)')}
          </SimpleGrid>
          <Controller
            control={form.control}
            name="clinicContraindications"
            render={({ field }) => (
              <ClinicContraindicationsField
                value={field.value}
                onChange={field.onChange}
                disabled={!editable}
              />
            )}
          />
          {failure && (
            <Alert color="red" title="Not saved">
              {failure}
            </Alert>
          )}
          {editable && (
            <Button type="submit" loading={isSubmitting} w="fit-content">
              Save settings
            </Button>
          )}
        </Stack>
      </Card>
    </form>
  );
}
