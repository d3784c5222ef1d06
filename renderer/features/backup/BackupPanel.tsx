import { Alert, Button, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { saveBackup } from './backup-actions';

/** An administrator saves the whole clinic store as one encrypted file. */
export function BackupPanel() {
  const store = useStore();
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string }>();
  const admin = store.roles.includes('administrator');

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setResult(undefined);
    if (passphrase !== repeat)
      return setResult({
        ok: false,
        message: 'The two backup passphrases differ. Type them again.',
      });
    setBusy(true);
    try {
      const name = await saveBackup(store, passphrase);
      setResult(
        name
          ? {
              ok: true,
              message: `Backup saved as ${name}. Keep the passphrase apart from the file.`,
            }
          : { ok: false, message: 'Saving was cancelled; no backup file was written.' },
      );
      setPassphrase('');
      setRepeat('');
    } catch (err) {
      setResult({ ok: false, message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="sm" component="section" aria-labelledby="backup-title">
      <Title order={3} id="backup-title">
        Encrypted backup
      </Title>
      <Text size="sm">
        One file with everything on this computer: charts, signatures, the audit log and users. It
        is encrypted under a backup passphrase of its own; without that passphrase the file cannot
        be opened, so store the two apart.
      </Text>
      {!admin ? (
        <Text size="sm">Only an administrator can make a backup.</Text>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm" maw={420}>
            <PasswordInput
              label="Backup passphrase"
              description="At least 10 characters; a short sentence works well"
              value={passphrase}
              onChange={(e) => setPassphrase(e.currentTarget.value)}
              autoComplete="new-password"
            />
            <PasswordInput
              label="Repeat backup passphrase"
              value={repeat}
              onChange={(e) => setRepeat(e.currentTarget.value)}
              autoComplete="new-password"
            />
            <Button type="submit" loading={busy} w="fit-content">
              Save encrypted backup
            </Button>
          </Stack>
        </form>
      )}
      {result && (
        <Alert
          color={result.ok ? 'teal' : 'red'}
          role={result.ok ? 'status' : 'alert'}
          title={result.ok ? 'Backup saved' : 'No backup saved'}
        >
          {result.message}
        </Alert>
      )}
    </Stack>
  );
}
