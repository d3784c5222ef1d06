/**
 * "Forgot passphrase?": user name + the clinic recovery key from the recovery sheet → a new
 * passphrase, then signed in with every chart readable. Nothing is changed until every check
 * passed; what was typed stays in the form after a failure (only the passphrases are cleared when
 * they were the problem).
 */
import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { db, startSession } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { recoverWithKey } from '../../sync/recovery';

export function RecoverPassphraseForm({ onBack }: { onBack: () => void }) {
  const [username, setUsername] = useState('');
  const [recoveryKey, setRecoveryKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    if (!username.trim()) return setFailure('Enter your user name.');
    if (!recoveryKey.trim()) return setFailure('Enter the recovery key from the recovery sheet.');
    if (passphrase.length < 10)
      return setFailure('Choose a new passphrase of at least 10 characters.');
    if (passphrase !== repeat) return setFailure('The two new passphrases do not match.');
    setBusy(true);
    try {
      await startSession(
        await recoverWithKey(db, { username, recoveryKey, newPassphrase: passphrase }),
      );
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="recover-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="recover-title">
          Reset a forgotten passphrase
        </Title>
        <Text size="sm">
          You need the clinic recovery sheet (kept in the clinic safe). Your charts and signatures
          stay as they are; only your passphrase changes. Lost your security key? This is the way
          back too: it removes the key from your sign-in, and you add a new one in Settings.
        </Text>
        <TextInput
          label="User name"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.currentTarget.value)}
          autoFocus
        />
        <TextInput
          label="Recovery key"
          description="As printed on the sheet; dashes and capitals do not matter."
          autoComplete="off"
          spellCheck={false}
          styles={{ input: { fontFamily: 'monospace' } }}
          value={recoveryKey}
          onChange={(e) => setRecoveryKey(e.currentTarget.value)}
        />
        <PasswordInput
          label="New passphrase"
          autoComplete="new-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.currentTarget.value)}
        />
        <PasswordInput
          label="Repeat new passphrase"
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.currentTarget.value)}
        />
        {failure && (
          <Alert color="red" role="alert" title="Passphrase not reset">
            {failure}
          </Alert>
        )}
        <Button type="submit" loading={busy}>
          Set new passphrase and sign in
        </Button>
        <Anchor component="button" type="button" size="sm" onClick={onBack}>
          Back to sign-in
        </Anchor>
      </Stack>
    </form>
  );
}
