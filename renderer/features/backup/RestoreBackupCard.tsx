import { Alert, Button, Card, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../../app/format';
import { restoreIntoThisComputer } from './backup-actions';

/** First run: bring a clinic back from an encrypted backup instead of starting a new one. */
export function RestoreBackupCard() {
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    if (!file) return setFailure('Choose the backup file (.katbackup) first.');
    if (!passphrase) return setFailure('Enter the backup passphrase.');
    setBusy(true);
    try {
      await restoreIntoThisComputer(file, passphrase);
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="xl" component="section" aria-labelledby="restore-title">
      <Title order={2} size="h3" id="restore-title" mb="xs">
        Restore from backup
      </Title>
      <Text size="sm" mb="md">
        Replacing a computer? Restore the clinic from an encrypted backup file. The whole file is
        checked before anything is written; then you sign in as before.
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Stack gap={4}>
            <Text component="label" htmlFor="restore-file" size="sm" fw={500}>
              Backup file
            </Text>
            <input
              id="restore-file"
              type="file"
              accept=".katbackup,application/octet-stream"
              onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
            />
          </Stack>
          <PasswordInput
            label="Backup passphrase"
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
            autoComplete="off"
          />
          {failure && (
            <Alert color="red" role="alert" title="Nothing was restored">
              {failure}
            </Alert>
          )}
          <Button type="submit" variant="default" loading={busy} w="fit-content">
            Restore clinic
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
