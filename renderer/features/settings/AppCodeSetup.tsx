/**
 * Setting up an authenticator app (TOTP): a QR code and the secret in letters, then the app's
 * first code and the member's passphrase to turn it on. The secret lives only in this screen's
 * memory until it is sealed under the passphrase key (renderer/db/second-factor.ts).
 */
import { Alert, Button, Group, Image, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { appCodeSetup, newAppSecret } from '../../../shared/crypto/app-code';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { replaceOwnFactor } from '../../db/second-factor';

export function AppCodeSetup({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const store = useStore();
  const secret = useMemo(() => newAppSecret(), []);
  const { uri, typed } = useMemo(
    () => appCodeSetup(secret, store.session.user.username, 'KAT Chart'),
    [secret, store.session.user.username],
  );
  const [qr, setQr] = useState<string>();
  const [code, setCode] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    let current = true;
    void import('qrcode')
      .then(({ default: QRCode }) =>
        QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
      )
      .then(
        (svg) => current && setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`),
      );
    return () => {
      current = false;
    };
  }, [uri]);

  const turnOn = async () => {
    setFailure(undefined);
    if (!/^\d{6}$/.test(code.replace(/\s/g, '')))
      return setFailure('Type the 6-digit code the app shows now.');
    if (!passphrase) return setFailure('Enter your passphrase.');
    setBusy(true);
    try {
      await replaceOwnFactor(store.db, store.session, passphrase, { appSecret: secret, code });
      await store.audit('second-factor-changed', { detail: 'Authenticator app added' });
      onDone();
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="sm" role="region" aria-label="Set up an authenticator app">
      <Text size="sm">
        In an authenticator app on your phone (such as Google Authenticator, Microsoft Authenticator
        or 2FAS), add an account by scanning this code, or type the key below it.
      </Text>
      <Group align="flex-start" gap="lg">
        {qr && <Image src={qr} w={180} h={180} alt="QR code for your authenticator app" />}
        <Stack gap={4}>
          <Text size="sm">Key to type instead:</Text>
          <Text ff="monospace" fw={700} aria-label="Key for the authenticator app">
            {typed}
          </Text>
          <Text size="xs" c="dimmed">
            Time-based, 6 digits, every 30 seconds.
          </Text>
        </Stack>
      </Group>
      <TextInput
        label="Code from the app"
        description="The 6 digits the app shows now."
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={7}
        value={code}
        onChange={(e) => setCode(e.currentTarget.value)}
      />
      <PasswordInput
        label="Your passphrase"
        description="Needed to seal the app’s key with yours."
        autoComplete="current-password"
        value={passphrase}
        onChange={(e) => setPassphrase(e.currentTarget.value)}
      />
      {failure && (
        <Alert color="red" role="alert" title="Nothing was changed">
          {failure}
        </Alert>
      )}
      <Group>
        <Button loading={busy} onClick={() => void turnOn()}>
          Turn on app codes
        </Button>
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}
