import {
  Alert,
  Anchor,
  Button,
  Card,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../../app/format';
import { type FactorProof, FactorNeededError } from '../../db/second-factor';
import { askSecurityKey } from '../../platform/webauthn';
import { protectionOf, restoreIntoThisComputer } from './backup-actions';
import { SecondFactorAsk } from '../settings/SecondFactorAsk';

/** First run: bring a clinic back from an encrypted backup instead of starting a new one. */
export function RestoreBackupCard() {
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [username, setUsername] = useState('');
  /** Scheduled backups are sealed under the clinic key: a user's own name and passphrase open them. */
  const [byUser, setByUser] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [touchKey, setTouchKey] = useState(false);
  /** A member whose security key cannot be used here opens it with the clinic recovery key. */
  const [byRecovery, setByRecovery] = useState(false);
  const [recoveryKey, setRecoveryKey] = useState('');
  const [askCode, setAskCode] = useState(false);
  const [code, setCode] = useState('');

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    if (!file) return setFailure('Choose the backup file (.katbackup) first.');
    if (byUser && byRecovery && !recoveryKey.trim())
      return setFailure('Enter the recovery key from the clinic’s recovery sheet.');
    if (byUser && !byRecovery && !username.trim()) return setFailure('Enter your user name.');
    if (!passphrase && !(byUser && byRecovery))
      return setFailure(byUser ? 'Enter your passphrase.' : 'Enter the backup passphrase.');
    setBusy(true);
    try {
      if (!byUser) return void (await restoreIntoThisComputer(file, passphrase));
      if (byRecovery) return void (await restoreIntoThisComputer(file, { recoveryKey }));
      const typed: FactorProof | undefined =
        askCode && code.trim() ? { kind: 'authenticator-app', code } : undefined;
      try {
        await restoreIntoThisComputer(file, { username, passphrase, proof: typed });
      } catch (err) {
        // A member whose keys need their second factor is asked for it (issue 18, deliverable 5).
        if (!(err instanceof FactorNeededError) || typed) throw err;
        if (err.prompt.kind === 'authenticator-app') return setAskCode(true);
        setTouchKey(true);
        const used = await askSecurityKey(err.prompt).finally(() => setTouchKey(false));
        await restoreIntoThisComputer(file, {
          username,
          passphrase,
          proof: { kind: 'security-key', ...used },
        });
      }
    } catch (err) {
      setFailure(errorMessage(err));
      setCode('');
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
              onChange={(e) => {
                const chosen = e.currentTarget.files?.[0] ?? null;
                setFile(chosen);
                setFailure(undefined);
                // An unreadable file is reported on Restore, with the reason.
                if (chosen)
                  void protectionOf(chosen)
                    .then((p) => setByUser(p === 'user-passphrase'))
                    .catch(() => setByUser(false));
              }}
            />
          </Stack>
          {byUser && !byRecovery && (
            <>
              <Text size="sm">
                This is an automatic backup, locked with the clinic key. Open it with your own user
                name and passphrase as they were when the backup was made.
              </Text>
              <TextInput
                label="Your user name"
                value={username}
                onChange={(e) => setUsername(e.currentTarget.value)}
                autoComplete="username"
              />
            </>
          )}
          {byUser && byRecovery && (
            <>
              <Text size="sm">
                This automatic backup also opens with the clinic recovery key: for when your
                security key cannot be used on this computer, or nobody’s passphrase opens it.
                Afterwards, on the sign-in screen, choose “Forgot passphrase?” and enter the same
                recovery key to set a new passphrase.
              </Text>
              <TextInput
                label="Recovery key"
                description="From the clinic’s recovery sheet."
                value={recoveryKey}
                onChange={(e) => setRecoveryKey(e.currentTarget.value)}
                autoComplete="off"
              />
            </>
          )}
          {!(byUser && byRecovery) && (
            <PasswordInput
              label={byUser ? 'Your passphrase' : 'Backup passphrase'}
              value={passphrase}
              onChange={(e) => setPassphrase(e.currentTarget.value)}
              autoComplete="off"
            />
          )}
          {byUser && (
            <Anchor
              component="button"
              type="button"
              size="sm"
              w="fit-content"
              onClick={() => {
                setByRecovery(!byRecovery);
                setFailure(undefined);
              }}
            >
              {byRecovery
                ? 'Open it with a user name and passphrase instead'
                : 'Open it with the clinic recovery key instead'}
            </Anchor>
          )}
          <SecondFactorAsk
            askCode={byUser && askCode}
            touchKey={touchKey}
            code={code}
            onCode={setCode}
            also
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
