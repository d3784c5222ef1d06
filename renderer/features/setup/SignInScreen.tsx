import {
  Alert,
  Anchor,
  Box,
  Button,
  Card,
  Center,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { db, signIn, signOut, useAppState } from '../../app/app-state';
import { factorPromptFor } from '../../db/second-factor';
import { askSecurityKey } from '../../platform/webauthn';
import { errorMessage } from '../../app/format';
import { RecoverPassphraseForm } from './RecoverPassphraseForm';
import { SecondFactorAsk } from '../settings/SecondFactorAsk';

/** Sign-in, and the lock screen (same form; locked shows only the passphrase of who was working). */
export function SignInScreen() {
  const { clinic, phase, lockedUser, error } = useAppState();
  const locked = phase === 'locked' && lockedUser;
  const [username, setUsername] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [recovering, setRecovering] = useState(false);
  const [touchKey, setTouchKey] = useState(false);
  const [askCode, setAskCode] = useState(false);
  const [code, setCode] = useState('');

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    if (!locked && !username.trim()) return setFailure('Enter your user name.');
    if (!passphrase) return setFailure('Enter your passphrase.');
    setBusy(true);
    const name = locked ? lockedUser.username : username;
    try {
      // A member with a security key is asked for it before the keys are opened: where it has
      // PRF, its answer is half of what opens them (renderer/db/second-factor.ts).
      const prompt = await factorPromptFor(db, name);
      if (prompt?.kind === 'security-key') {
        setTouchKey(true);
        const used = await askSecurityKey(prompt)
          .catch(async (keyError: unknown) => {
            // Still a try at this account: counted and logged like a wrong passphrase.
            await signIn(name, passphrase).catch(() => undefined);
            throw keyError;
          })
          .finally(() => setTouchKey(false));
        await signIn(name, passphrase, { kind: 'security-key', ...used });
      } else if (prompt?.kind === 'authenticator-app') {
        // Asked once the passphrase is typed; the code is checked with it, in one try.
        if (!askCode || !code.trim()) {
          setAskCode(true);
          if (askCode) setFailure('Enter the 6-digit code from your authenticator app.');
          return;
        }
        await signIn(name, passphrase, { kind: 'authenticator-app', code });
      } else {
        await signIn(name, passphrase);
      }
    } catch (err) {
      setFailure(errorMessage(err));
      setPassphrase('');
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box bg="gray.0" mih="100vh">
      <Center mih="100vh" p="md">
        <Card withBorder padding="xl" w={420} component="main">
          <Stack gap="xs" mb="md">
            <Title order={1} size="h2" c="teal.9">
              KAT Chart
            </Title>
            <Text c="dimmed">{clinic?.clinicName}</Text>
          </Stack>
          {recovering && !locked ? (
            <RecoverPassphraseForm onBack={() => setRecovering(false)} />
          ) : (
            <form onSubmit={submit} noValidate>
              <Stack gap="sm">
                {locked ? (
                  <Alert color="gray" title="Locked" role="status">
                    {lockedUser.displayName}’s session is locked. Enter your passphrase to continue
                    where you left off.
                  </Alert>
                ) : (
                  <TextInput
                    label="User name"
                    autoComplete="username"
                    value={username}
                    onChange={(e) => setUsername(e.currentTarget.value)}
                    data-autofocus
                    autoFocus
                  />
                )}
                <PasswordInput
                  label="Passphrase"
                  autoComplete="current-password"
                  value={passphrase}
                  onChange={(e) => setPassphrase(e.currentTarget.value)}
                  autoFocus={!!locked}
                />
                <SecondFactorAsk
                  askCode={askCode}
                  touchKey={touchKey}
                  code={code}
                  onCode={setCode}
                />
                {(failure ?? error) && (
                  <Alert color="red" role="alert" title="Not signed in">
                    {failure ?? error}
                  </Alert>
                )}
                <Button type="submit" loading={busy}>
                  {locked ? 'Unlock' : 'Sign in'}
                </Button>
                {locked && (
                  <Anchor component="button" type="button" size="sm" onClick={() => void signOut()}>
                    Sign in as someone else
                  </Anchor>
                )}
                {!locked && (
                  <Anchor
                    component="button"
                    type="button"
                    size="sm"
                    onClick={() => setRecovering(true)}
                  >
                    Forgot passphrase?
                  </Anchor>
                )}
              </Stack>
            </form>
          )}
        </Card>
      </Center>
    </Box>
  );
}
