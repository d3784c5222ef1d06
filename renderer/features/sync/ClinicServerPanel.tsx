/** Settings → Clinic server: connect this clinic to a server, see sync state, enroll devices. */
import {
  Alert,
  Button,
  Card,
  Code,
  Group,
  List,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../app/format';
import { useStore } from '../../app/app-state';
import { connectFirstDevice, createEnrollmentCode } from '../../sync/connect';
import { loadDeviceSecrets } from '../../sync/device-credentials';
import { keychainWarning, platformKeychain } from '../../sync/platform-keychain';
import { startSync, syncNow } from '../../sync/sync-runtime';
import { ClinicKeysCard } from './ClinicKeysCard';
import { DevicesCard } from './DevicesCard';
import { sinceWords } from './sync-words';
import { useSyncConfig, useSyncIssues, useSyncStatus } from './use-sync-status';

export function ClinicServerPanel() {
  const config = useSyncConfig();
  if (config === undefined) return null;
  return (
    <Stack gap="md">
      {config ? <ConnectedPanel /> : <ConnectForm />}
      {config?.admin && <DevicesCard serverUrl={config.serverUrl} thisDevice={config.deviceId} />}
      <ClinicKeysCard />
    </Stack>
  );
}

function ConnectForm() {
  const store = useStore();
  const [serverUrl, setServerUrl] = useState('http://127.0.0.1:8787');
  const [setupToken, setSetupToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const isAdmin = store.roles.includes('administrator');
  const connect = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await connectFirstDevice(store.db, platformKeychain, store.session, {
        serverUrl,
        setupToken,
      });
      startSync(store);
      await syncNow();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="connect-title">
      <Title order={3} size="h4" id="connect-title" mb="xs">
        Connect this clinic to a server
      </Title>
      <Text size="sm" mb="md">
        The clinic server keeps encrypted copies so that every computer of the clinic has the same
        charts. It can never read them. Do this once, on the first computer; the server’s console
        shows the setup token.
      </Text>
      {!isAdmin && (
        <Alert color="yellow" mb="md">
          Only an administrator can connect the clinic to a server.
        </Alert>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void connect();
        }}
      >
        <Stack gap="sm" maw={480}>
          <TextInput
            label="Server address"
            value={serverUrl}
            onChange={(e) => setServerUrl(e.currentTarget.value)}
            required
          />
          <PasswordInput
            label="Setup token"
            value={setupToken}
            onChange={(e) => setSetupToken(e.currentTarget.value)}
            required
          />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={busy} disabled={!isAdmin}>
              Connect
            </Button>
          </Group>
          <Text size="xs">
            Adding another computer to a clinic that already syncs? On that computer choose “Join a
            clinic” on the welcome screen, with a code made here.
          </Text>
        </Stack>
      </form>
    </Card>
  );
}

function ConnectedPanel() {
  const store = useStore();
  const config = useSyncConfig();
  const status = useSyncStatus();
  const issues = useSyncIssues();
  const [code, setCode] = useState<{ code: string; expiresAt: string }>();
  const [error, setError] = useState<string>();
  const [manual, setManual] = useState(false);
  const [weakKeychain, setWeakKeychain] = useState<string | null>(null);
  useEffect(() => {
    void keychainWarning()
      .then(setWeakKeychain)
      .catch(() => undefined);
  }, []);
  const makeCode = async () => {
    setError(undefined);
    try {
      const secrets = await loadDeviceSecrets(platformKeychain);
      if (!secrets) throw new Error('This computer’s sync key is missing. Connect it again.');
      setCode(await createEnrollmentCode(store.db, secrets.token));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  if (!config) return null;
  return (
    <Stack gap="md">
      <Card withBorder padding="lg" component="section" aria-labelledby="server-title">
        <Title order={3} size="h4" id="server-title" mb="xs">
          Clinic server
        </Title>
        <Stack gap={4}>
          <Text size="sm">
            Server: <Code>{config.serverUrl}</Code>
          </Text>
          <Text size="sm">Last synced: {sinceWords(status.lastSyncAt)}</Text>
          <Text size="sm">Changes waiting to upload: {status.waiting}</Text>
          {status.error && (
            <Alert color={status.phase === 'offline' ? 'orange' : 'red'} role="alert" mt="xs">
              {status.error}
            </Alert>
          )}
        </Stack>
        <Group mt="md">
          <Button
            onClick={() => {
              setManual(true);
              void syncNow().finally(() => setManual(false));
            }}
            loading={manual}
          >
            Sync now
          </Button>
          {config.admin && (
            <Button variant="default" onClick={() => void makeCode()}>
              Create enrollment code
            </Button>
          )}
        </Group>
        {weakKeychain && (
          <Alert
            color="yellow"
            mt="md"
            title="This computer keeps its sync key with weak protection"
          >
            {weakKeychain}
          </Alert>
        )}
        {code && (
          <Alert color="teal" mt="md" title="Enrollment code for the next computer">
            <Text size="xl" fw={700} ff="monospace" aria-label="Enrollment code">
              {code.code}
            </Text>
            <Text size="sm">
              Valid once, until {new Date(code.expiresAt).toLocaleTimeString()}. On the new computer
              choose “Join a clinic” and enter it with the server address.
            </Text>
          </Alert>
        )}
        {error && (
          <Alert color="red" role="alert" mt="md">
            {error}
          </Alert>
        )}
      </Card>
      {issues.length > 0 && (
        <Card withBorder padding="lg" component="section" aria-labelledby="issues-title">
          <Title order={3} size="h4" id="issues-title" mb="xs">
            Sync problems
          </Title>
          <Text size="sm" mb="xs">
            Nothing below was applied to the charts on this computer; your own records are safe.
          </Text>
          <List size="sm" spacing="xs">
            {issues.map((i) => (
              <List.Item key={i.id}>
                {new Date(i.at).toLocaleString()} — {i.message}
              </List.Item>
            ))}
          </List>
        </Card>
      )}
    </Stack>
  );
}
