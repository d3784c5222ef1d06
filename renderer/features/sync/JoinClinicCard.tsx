/** Welcome screen: a new computer joins a clinic that already syncs through a clinic server. */
import { Alert, Button, Card, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { db, signIn } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { joinClinic } from '../../sync/connect';
import { platformKeychain } from '../../sync/platform-keychain';

export function JoinClinicCard() {
  const [form, setForm] = useState({
    serverUrl: 'http://127.0.0.1:8787',
    code: '',
    username: '',
    passphrase: '',
  });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const field = (k: keyof typeof form) => ({
    value: form[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) =>
      setForm({ ...form, [k]: e.currentTarget.value }),
    required: true,
  });
  const join = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await joinClinic(db, platformKeychain, form);
      await signIn(form.username, form.passphrase);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <Card withBorder padding="xl" component="section" aria-labelledby="join-title">
      <Title order={2} size="h3" id="join-title" mb="xs">
        Join a clinic
      </Title>
      <Text size="sm" mb="md">
        This computer becomes another device of a clinic that already syncs. Ask an administrator
        for an enrollment code (Settings → Clinic server on their computer).
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void join();
        }}
      >
        <Stack gap="sm">
          <TextInput label="Clinic server address" {...field('serverUrl')} />
          <TextInput label="Enrollment code" placeholder="XXXX-XXXX-XXXX" {...field('code')} />
          <TextInput label="Your sign-in name" autoComplete="username" {...field('username')} />
          <PasswordInput
            label="Your passphrase"
            autoComplete="current-password"
            {...field('passphrase')}
          />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Button type="submit" loading={busy}>
            Join clinic
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
