import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useLocation } from 'wouter';
import { PatientBody, type PatientInput } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { errorMessage, formatDateTime } from '../../app/format';
import { useFormDraft } from '../../app/use-form-draft';
import { useRecord } from '../../app/use-records';

const EMPTY: PatientInput = {
  firstName: '',
  lastName: '',
  preferredName: '',
  dateOfBirth: '',
  sexAtBirth: 'unknown',
  pronouns: '',
  phone: '',
  email: '',
  address: '',
  emergencyContactName: '',
  emergencyContactPhone: '',
  chartNumber: '',
  allergies: '',
  flags: '',
  active: true,
};

/** Add or edit a patient. Validated as a whole by the shared schema; nothing is saved half-way. */
export function PatientFormScreen({ patientId }: { patientId?: string }) {
  const store = useStore();
  const [, navigate] = useLocation();
  const existing = useRecord('patient', patientId);
  const [failure, setFailure] = useState<string>();
  const form = useForm<PatientInput>({
    resolver: zodResolver(PatientBody) as never,
    defaultValues: EMPTY,
    mode: 'onTouched',
  });
  const draft = useFormDraft(patientId ? `patient-edit:${patientId}` : 'patient-new', form);
  const { errors, isSubmitting } = form.formState;

  useEffect(() => {
    if (existing && !draft.restoredAt) {
      const {
        firstName,
        lastName,
        preferredName,
        dateOfBirth,
        sexAtBirth,
        pronouns,
        phone,
        email,
        address,
        emergencyContactName,
        emergencyContactPhone,
        chartNumber,
        allergies,
        flags,
        active,
      } = existing;
      form.reset({
        ...EMPTY,
        firstName,
        lastName,
        preferredName,
        dateOfBirth,
        sexAtBirth,
        pronouns,
        phone,
        email,
        address,
        emergencyContactName,
        emergencyContactPhone,
        chartNumber,
        allergies,
        flags,
        active,
      });
    }
  }, [existing]); // load the stored patient once it arrives

  const submit = form.handleSubmit(async (values) => {
    setFailure(undefined);
    try {
      const body = PatientBody.parse(values);
      const saved = patientId
        ? await store.update('patient', patientId, () => body)
        : await store.create('patient', body);
      await draft.clear();
      notifications.show({ color: 'teal', message: `${saved.firstName} ${saved.lastName} saved` });
      navigate(`/patients/${saved.id}`);
    } catch (e) {
      setFailure(errorMessage(e));
    }
  });

  const cancel = async () => {
    await draft.clear();
    navigate(patientId ? `/patients/${patientId}` : '/');
  };

  if (patientId && existing === null) return <Text>That patient could not be found.</Text>;

  const field = (name: keyof PatientInput, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput
      label={label}
      {...form.register(name)}
      error={errors[name]?.message as string | undefined}
      {...extra}
    />
  );

  return (
    <Stack maw={860} gap="md">
      <Title order={2}>{patientId ? 'Edit patient details' : 'Add patient'}</Title>
      {draft.restoredAt && (
        <Alert color="blue" title="Unsaved changes restored">
          What you typed on {formatDateTime(draft.restoredAt)} was kept. Review it and save, or
          cancel to discard it.
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Card withBorder padding="lg">
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              {field('firstName', 'First name', { withAsterisk: true, autoFocus: true })}
              {field('lastName', 'Last name', { withAsterisk: true })}
              {field('preferredName', 'Preferred name')}
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              {field('dateOfBirth', 'Date of birth', {
                type: 'date',
                withAsterisk: true,
                max: new Date().toISOString().slice(0, 10),
              })}
              <Controller
                control={form.control}
                name="sexAtBirth"
                render={({ field: f }) => (
                  <Select
                    label="Sex assigned at birth"
                    data={[
                      { value: 'female', label: 'Female' },
                      { value: 'male', label: 'Male' },
                      { value: 'intersex', label: 'Intersex' },
                      { value: 'unknown', label: 'Not recorded' },
                    ]}
                    value={f.value ?? 'unknown'}
                    onChange={(v) => f.onChange(v ?? 'unknown')}
                    allowDeselect={false}
                  />
                )}
              />
              {field('pronouns', 'Pronouns')}
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              {field('phone', 'Phone', { type: 'tel' })}
              {field('email', 'Email', { type: 'email' })}
              {field('chartNumber', 'Chart number')}
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {field('allergies', 'Allergies', {
                description: 'Write “No known allergies” once asked; blank means not asked yet',
              })}
              {field('flags', 'Flags', {
                description: 'Shown on every screen of the chart, e.g. fall risk, needs an escort',
              })}
            </SimpleGrid>
            {field('address', 'Address')}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {field('emergencyContactName', 'Emergency contact name')}
              {field('emergencyContactPhone', 'Emergency contact phone', { type: 'tel' })}
            </SimpleGrid>
          </Stack>
        </Card>
        {failure && (
          <Alert color="red" mt="md" title="Not saved">
            {failure}
          </Alert>
        )}
        <Group mt="md">
          <Button type="submit" loading={isSubmitting}>
            Save patient
          </Button>
          <Button variant="default" onClick={() => void cancel()}>
            Cancel
          </Button>
        </Group>
      </form>
    </Stack>
  );
}
