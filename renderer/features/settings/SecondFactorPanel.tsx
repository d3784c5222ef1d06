import {
  Alert,
  Button,
  Card,
  Group,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { SecondFactor } from '../../../shared/crypto/second-factor';
import { useStore } from '../../app/app-state';
import { errorMessage, formatDate } from '../../app/format';
import { securityKeysAvailable } from '../../platform/webauthn';
import type { UserKeys } from '../../sync/clinic-keys';
import { addSecurityKey, removeSecondFactor } from './second-factor-actions';
import { AppCodeSetup } from './AppCodeSetup';
import { useSecondFactorPolicy } from './use-second-factor';

/** The signed-in member's own second factor, as their keyring row holds it. */
function useOwnFactor(): SecondFactor | undefined | null {
  const store = useStore();
  const id = store.session.user.id;
  const row = useLiveQuery(async () => (await store.db.keyring.get(id)) ?? null, [id]);
  if (row === undefined) return null; // still loading
  return (row as UserKeys | null)?.factor;
}

function describe(f: SecondFactor): string {
  if (f.kind === 'authenticator-app')
    return (
      `An authenticator app, added ${formatDate(f.addedAt)}. Sign-in asks for its 6-digit code; ` +
      'it is a check at the sign-in screen and does not take part in opening your keys.'
    );
  const opens = f.prfSalt
    ? 'It is part of what opens your keys: your passphrase alone no longer opens them.'
    : 'This key cannot take part in opening your keys, so it is a check at the sign-in screen only.';
  return `Security key “${f.label}”, added ${formatDate(f.addedAt)}. ${opens}`;
}

/** Settings → Sign-in security: add or remove the signed-in member's security key. */
export function SecondFactorPanel() {
  const store = useStore();
  const factor = useOwnFactor();
  const policy = useSecondFactorPolicy();
  const [passphrase, setPassphrase] = useState('');
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [done, setDone] = useState<string>();
  const [settingUpApp, setSettingUpApp] = useState(false);

  const run = async (action: () => Promise<string>) => {
    setFailure(undefined);
    setDone(undefined);
    if (!passphrase) return setFailure('Enter your passphrase first.');
    setBusy(true);
    try {
      setDone(await action());
      setPassphrase('');
      setLabel('');
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (factor === null || !policy) return null;
  const offered = policy.mode !== 'off';
  // Where no key can work (the desktop app, a numeric address), say so before anyone tries.
  const keysHere = securityKeysAvailable();
  const keyOffered = offered && !keysHere;
  if (settingUpApp)
    return (
      <Stack gap="md" maw={640}>
        <Title order={3} size="h4">
          Authenticator app
        </Title>
        <AppCodeSetup
          onCancel={() => setSettingUpApp(false)}
          onDone={() => {
            setSettingUpApp(false);
            setDone('App codes are on. From now on, sign in with your passphrase and a code.');
          }}
        />
      </Stack>
    );
  return (
    <Stack gap="md" maw={640}>
      <Title order={3} size="h4">
        Second factor
      </Title>
      <Text size="sm">
        A security key (a USB or NFC key, or this computer’s fingerprint or face sign-in) asked for
        at every sign-in and unlock, besides your passphrase. Where the key supports it, it also
        takes part in opening your keys, so someone who learns your passphrase and copies this
        computer’s data still cannot open them. No key? An authenticator app on your phone gives a
        6-digit code instead; it is checked at sign-in but does not take part in opening your keys.
      </Text>
      <Card withBorder>
        <Text fw={600} size="sm">
          {factor ? 'Your second factor' : 'No second factor yet'}
        </Text>
        <Text size="sm" data-testid="own-factor">
          {factor ? describe(factor) : 'You sign in with your passphrase only.'}
        </Text>
      </Card>
      <Stack gap="sm">
        {!factor && !offered && (
          <Text size="sm">Your clinic does not use a second factor, so none can be added.</Text>
        )}
        {!factor && offered && keysHere && (
          <Alert
            color="gray"
            role="note"
            aria-label="No security key on this computer’s KAT Chart"
            title="No security key on this computer’s KAT Chart"
          >
            {keysHere}
          </Alert>
        )}
        {!factor && keyOffered && (
          <TextInput
            label="Name of the key"
            description="So you can tell your keys apart, such as “Blue key” or “This laptop”."
            value={label}
            maxLength={80}
            onChange={(e) => setLabel(e.currentTarget.value)}
          />
        )}
        {(factor || keyOffered) && (
          <PasswordInput
            label="Your passphrase"
            description="Needed to seal your keys again."
            autoComplete="current-password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
          />
        )}
        {failure && (
          <Alert color="red" role="alert" title="Nothing was changed">
            {failure}
          </Alert>
        )}
        {done && (
          <Alert color="teal" role="status" title="Done">
            {done}
          </Alert>
        )}
        <Group>
          {factor ? (
            <Button
              color="red"
              variant="light"
              loading={busy}
              onClick={() =>
                void run(async () => {
                  await removeSecondFactor(store, passphrase);
                  return 'The second factor was removed. You sign in with your passphrase only.';
                })
              }
            >
              Remove second factor
            </Button>
          ) : (
            keyOffered && (
              <Button
                loading={busy}
                onClick={() =>
                  void run(async () => {
                    const { sealsKeys } = await addSecurityKey(store, passphrase, label);
                    return sealsKeys
                      ? 'Security key added. From now on, sign in with your passphrase and this key.'
                      : 'Security key added. It is asked for at sign-in; this key cannot take part ' +
                          'in opening your keys.';
                  })
                }
              >
                Add security key
              </Button>
            )
          )}
          {!factor && offered && (
            <Button variant="default" onClick={() => setSettingUpApp(true)}>
              Use an authenticator app instead
            </Button>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          Lost your key? An administrator opens your account again with the clinic’s recovery key
          (Forgot passphrase? on the sign-in screen), and you choose a new passphrase.
        </Text>
      </Stack>
    </Stack>
  );
}
