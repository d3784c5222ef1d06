/** Settings → Clinic server: connect this clinic to a server, see sync state, enroll devices. */
import {
  Alert,
  Button,
  Card,
  Code,
  Group,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../app/format';
import { useStore } from '../../app/app-state';
import { connectFirstDevice, createEnrollmentCode } from '../../sync/connect';
import { loadDeviceSecrets } from '../../sync/device-credentials';
import { keychainWarning, platformKeychain } from '../../sync/platform-keychain';
import { startSync, syncNow } from '../../sync/sync-runtime';
import { ClinicKeysCard } from './ClinicKeysCard';
import { DevicesCard } from './DevicesCard';
import { PendingComputersCard } from './PendingComputersCard';
import { TrustCard } from './TrustCard';
import { EnrollmentCodeCard } from './EnrollmentCodeCard';
import { useLocalServer } from './use-local-server';
import { checkComputerName, writeComputerName } from '../../sync/device-profile';
import { ComputerNameInput, useSuggestedComputerName } from './ComputerNameInput';
import { sinceWords } from './sync-words';
import { HeldChangesCard } from './HeldChangesCard';
import { SyncProblemsCard } from './SyncProblemsCard';
import { useLiveQuery } from 'dexie-react-hooks';
import { readJoin } from '../../sync/connect';
import { ReconnectCard, WaitingConfirmationCard } from './RejoinCard';
import { useSyncConfig, useSyncIssues, useSyncStatus } from './use-sync-status';

export function ClinicServerPanel() {
  const config = useSyncConfig();
  const store = useStore();
  const admin = store.roles.includes('administrator');
  const status = useSyncStatus();
  const rejoining = useLiveQuery(() => readJoin(store.db), [store.db]);
  if (config === undefined) return null;
  // Removed, its sync key unreadable, or joined again and not yet confirmed: the server takes
  // nothing else from it.
  const shut = !!status.removedAt || !!status.credentialsLost || !!rejoining;
  return (
    <Stack gap="md">
      {!config ? (
        <ConnectForm />
      ) : rejoining ? (
        <WaitingConfirmationCard pending={rejoining} />
      ) : status.removedAt ? (
        <ReconnectCard cutOff={{ removedAt: status.removedAt }} serverUrl={config.serverUrl} />
      ) : status.credentialsLost ? (
        <ReconnectCard cutOff={{ credentialsLost: true }} serverUrl={config.serverUrl} />
      ) : (
        <ConnectedPanel />
      )}
      {config && admin && !shut && <PendingComputersCard serverUrl={config.serverUrl} />}
      {config?.admin && !shut && (
        <DevicesCard
          serverUrl={config.serverUrl}
          clinicId={config.clinicId}
          thisDevice={config.deviceId}
        />
      )}
      <TrustCard />
      {/* Key changes go through the server, which refuses a removed computer. */}
      {!shut && <ClinicKeysCard />}
    </Stack>
  );
}

function ConnectForm() {
  const store = useStore();
  // Empty unless the server runs on this very computer (use-local-server.ts).
  const [serverUrl, setServerUrl] = useState('');
  useLocalServer(useCallback((url: string) => setServerUrl((typed) => typed || url), []));
  const [setupToken, setSetupToken] = useState('');
  const [computerName, setComputerName] = useState('');
  const [nameTried, setNameTried] = useState(false);
  useSuggestedComputerName(useCallback((n: string) => setComputerName((typed) => typed || n), []));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const isAdmin = store.roles.includes('administrator');
  const connect = async () => {
    setNameTried(true);
    const named = checkComputerName(computerName);
    if ('error' in named) return;
    setBusy(true);
    setError(undefined);
    try {
      await writeComputerName(store.db, named.name);
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
        charts. It can never read them. Do this once, on the first computer, with the setup token
        from the server’s setup-token file (whoever set up the server knows where it is).
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
            placeholder="https://kat-server.lan"
            description="As whoever set up the server gave it to you; it starts with https://"
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
          <ComputerNameInput
            value={computerName}
            onChange={setComputerName}
            showError={nameTried}
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
            <Alert
              color={
                status.phase === 'offline' || status.phase === 'server-unreachable'
                  ? 'orange'
                  : 'red'
              }
              role="alert"
              mt="xs"
            >
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
        {code && <EnrollmentCodeCard serverUrl={config.serverUrl} code={code} />}
        {error && (
          <Alert color="red" role="alert" mt="md">
            {error}
          </Alert>
        )}
      </Card>
      <HeldChangesCard />
      <SyncProblemsCard issues={issues} />
    </Stack>
  );
}
