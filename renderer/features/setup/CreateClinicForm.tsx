import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { Passphrase, Username, nonEmpty } from '../../../shared/model';
import { RuleError } from '../../../shared/rules/errors';
import { db, startSession } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { createClinic } from '../../db/auth';

const CreateClinicInput = z
  .object({
    clinicName: nonEmpty('Clinic name').max(200),
    displayName: nonEmpty('Your full name').max(120),
    username: Username,
    passphrase: Passphrase,
    repeat: z.string(),
  })
  .refine((v) => v.passphrase === v.repeat, {
    path: ['repeat'],
    message: 'The two passphrases are not the same',
  });
type CreateClinicInput = z.infer<typeof CreateClinicInput>;

export function CreateClinicForm() {
  const [failure, setFailure] = useState<string>();
  const form = useForm<CreateClinicInput>({
    resolver: zodResolver(CreateClinicInput),
    mode: 'onTouched',
  });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (v) => {
    setFailure(undefined);
    try {
      const session = await createClinic(db, {
        clinicName: v.clinicName,
        admin: { displayName: v.displayName, username: v.username, passphrase: v.passphrase },
      });
      await startSession(session);
    } catch (e) {
      // A guessable passphrase is said under its field, where it is typed again.
      if (e instanceof RuleError && e.code === 'passphrase.weak')
        form.setError('passphrase', { message: e.message }, { shouldFocus: true });
      else setFailure(errorMessage(e));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput
          label="Clinic name"
          autoComplete="organization"
          {...form.register('clinicName')}
          error={errors.clinicName?.message}
        />
        <TextInput
          label="Your full name"
          autoComplete="name"
          {...form.register('displayName')}
          error={errors.displayName?.message}
        />
        <TextInput
          label="User name"
          description="What you type to sign in, e.g. “jsmith”"
          autoComplete="username"
          {...form.register('username')}
          error={errors.username?.message}
        />
        <PasswordInput
          label="Passphrase"
          description="At least 10 characters. A short sentence is easiest to remember."
          autoComplete="new-password"
          {...form.register('passphrase')}
          error={errors.passphrase?.message}
        />
        <PasswordInput
          label="Repeat passphrase"
          autoComplete="new-password"
          {...form.register('repeat')}
          error={errors.repeat?.message}
        />
        {failure && (
          <Alert color="red" title="The clinic was not created">
            {failure}
          </Alert>
        )}
        <Button type="submit" loading={isSubmitting} mt="xs">
          Create clinic
        </Button>
      </Stack>
    </form>
  );
}
