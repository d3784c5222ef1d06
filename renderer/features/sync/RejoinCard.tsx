/**
 * Settings → Clinic server on a computer that has its clinic and records but cannot sync: an
 * administrator removed it, or its sync key cannot be read from the keychain (a reinstall, a
 * backup restored onto a replacement computer). One screen for both, since the steps are the same
 * (renderer/sync/reenroll.ts): what happened, in plain words and the computer's own date format,
 * and one thing to do — connect again with a new code. "Sync now" and enrollment codes are not
 * offered: the server takes nothing else from this computer until then. After the code is
 * accepted it shows the fingerprint an administrator compares, and goes on by itself once they
 * confirm. An administrator whose own computer lost its key may instead reconnect it with their
 * signature ("Reconnect as administrator"): a clinic's only administrator has nobody to ask.
 */
import {
  Alert,
  Button,
  Card,
  Group,
  List,
  Loader,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useState } from 'react';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import type { JoinPending } from '../../sync/connect';
import { checkComputerName, writeComputerName } from '../../sync/device-profile';
import { looksLikeJoinCode, parseJoinCode } from '../../sync/join-code';
import { platformKeychain } from '../../sync/platform-keychain';
import { reenrollAsAdministrator, reenrollComputer } from '../../sync/reenroll';
import { CREDENTIALS_LOST, removedWords, syncNow } from '../../sync/sync-runtime';
import { ComputerNameInput, useSuggestedComputerName } from './ComputerNameInput';

export type CutOff = { removedAt: string } | { credentialsLost: true };

export function ReconnectCard({ cutOff, serverUrl }: { cutOff: CutOff; serverUrl: string }) {
  const [joining, setJoining] = useState(false);
  const [bySignature, setBySignature] = useState(false);
  const removed = 'removedAt' in cutOff;
  // An administrator's own computer that lost its key may reconnect without a code (nobody else
  // may be left to make one); a computer that was removed may not.
  const admin = useStore().session.user.roles.includes('administrator');
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="removed-title">
      <Title order={3} size="h4" id="removed-title" mb="xs">
        {removed ? 'This computer was removed from the clinic' : 'This computer can no longer sync'}
      </Title>
      <Alert color="orange" role="alert" mb="md">
        {removed ? removedWords(cutOff.removedAt) : CREDENTIALS_LOST}
      </Alert>
      {joining ? (
        <RejoinForm removed={removed} serverUrl={serverUrl} onCancel={() => setJoining(false)} />
      ) : bySignature ? (
        <AdminReconnect serverUrl={serverUrl} onCancel={() => setBySignature(false)} />
      ) : (
        <Group>
          <Button onClick={() => setJoining(true)}>
            {removed ? 'Join again' : 'Connect again'}
          </Button>
          {!removed && admin && (
            <Button variant="default" onClick={() => setBySignature(true)}>
              Reconnect as administrator
            </Button>
          )}
        </Group>
      )}
    </Card>
  );
}

function RejoinForm({
  removed,
  serverUrl,
  onCancel,
}: {
  removed: boolean;
  serverUrl: string;
  onCancel: () => void;
}) {
  const store = useStore();
  const [joinCode, setJoinCode] = useState('');
  const [form, setForm] = useState({ serverUrl, code: '' });
  const [computerName, setComputerName] = useState('');
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useSuggestedComputerName(useCallback((n: string) => setComputerName((t) => t || n), []));
  const paste = (text: string) => {
    setJoinCode(text);
    const parsed = parseJoinCode(text);
    if (parsed) setForm(parsed);
  };
  const joinCodeError =
    joinCode.trim() && !parseJoinCode(joinCode)
      ? looksLikeJoinCode(joinCode)
        ? 'This join code is incomplete. Copy the whole line (it starts with KAT-JOIN) again.'
        : 'This is not a join code: a join code starts with KAT-JOIN. Or type the server address and enrollment code below.'
      : undefined;
  const submit = async () => {
    setTried(true);
    const named = checkComputerName(computerName);
    if ('error' in named) return;
    setBusy(true);
    setError(undefined);
    try {
      await writeComputerName(store.db, named.name);
      await reenrollComputer(store.db, platformKeychain, form);
      void syncNow();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      aria-label={removed ? 'Join again' : 'Connect again'}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Stack gap="sm" maw={520}>
        <Text size="sm">
          Ask an administrator for a join code (Settings → Clinic server → Create enrollment code,
          on their computer). What happens:
        </Text>
        <List size="sm" spacing={4} aria-label="What happens when this computer connects again">
          <List.Item>Everything charted on this computer stays on it.</List.Item>
          <List.Item>
            This computer gets a new sync key.{' '}
            {removed
              ? 'Its old key was already removed.'
              : 'The server stops taking its old key at once, and when the administrator confirms this computer the clinic’s membership list removes the old key too.'}
          </List.Item>
          <List.Item>
            Once they confirm, this computer offers the server everything it holds again, so what
            never arrived — anything typed while it could not sync — reaches the other computers.
            Nothing that already arrived is doubled.
          </List.Item>
        </List>
        <TextInput
          label="Join code"
          description="Paste the line that starts with KAT-JOIN: it fills in the two fields below."
          placeholder="KAT-JOIN https://… XXXX-XXXX-XXXX"
          value={joinCode}
          onChange={(e) => paste(e.currentTarget.value)}
          error={joinCodeError}
          autoComplete="off"
        />
        <TextInput
          label="Clinic server address"
          placeholder="https://kat-server.lan"
          value={form.serverUrl}
          onChange={(e) => setForm({ ...form, serverUrl: e.currentTarget.value })}
          required
        />
        <TextInput
          label="Enrollment code"
          placeholder="XXXX-XXXX-XXXX"
          value={form.code}
          onChange={(e) => setForm({ ...form, code: e.currentTarget.value })}
          required
        />
        <ComputerNameInput value={computerName} onChange={setComputerName} showError={tried} />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            {removed ? 'Join clinic again' : 'Connect this computer again'}
          </Button>
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * The signed-in administrator reconnects their own computer with their signature instead of a
 * code (renderer/sync/reenroll.ts reenrollAsAdministrator): for a clinic whose only administrator
 * this is. The server accepts it only from a current administrator of the clinic.
 */
function AdminReconnect({ serverUrl, onCancel }: { serverUrl: string; onCancel: () => void }) {
  const store = useStore();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await reenrollAsAdministrator(store, platformKeychain, { serverUrl });
      void syncNow();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="sm" maw={520} role="group" aria-label="Reconnect as administrator">
      <Text size="sm">
        You are an administrator of this clinic, so this computer can reconnect with your signature
        instead of a code from someone else. What happens:
      </Text>
      <List size="sm" spacing={4} aria-label="What happens when you reconnect as administrator">
        <List.Item>Everything charted on this computer stays on it.</List.Item>
        <List.Item>
          The server checks your signature against the clinic’s membership list: only a current
          administrator, on a computer that list names as theirs, can do this.
        </List.Item>
        <List.Item>
          This computer gets a new sync key; the membership list removes the old one at once, so no
          copy of it syncs again.
        </List.Item>
        <List.Item>
          It offers the server everything it holds again, so anything typed while it could not sync
          reaches the other computers. Nothing that already arrived is doubled.
        </List.Item>
      </List>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group>
        <Button loading={busy} onClick={() => void submit()}>
          Reconnect with my signature
        </Button>
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}

/** Joined again, waiting for an administrator to compare and confirm. */
export function WaitingConfirmationCard({ pending }: { pending: JoinPending }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="rejoin-title">
      <Title order={3} size="h4" id="rejoin-title" mb="xs">
        Joining the clinic again
      </Title>
      <Stack gap="sm">
        <Text size="sm">
          Compare these numbers with the administrator’s screen (Settings → Clinic server,
          “Computers waiting to join”). They confirm this computer only if the numbers are the same;
          sync then starts by itself.
        </Text>
        {pending.fingerprint && (
          <Text
            size="xl"
            fw={700}
            ff="monospace"
            aria-label="Fingerprint of this computer"
            data-testid="join-fingerprint"
          >
            {pending.fingerprint}
          </Text>
        )}
        <Group gap="xs" role="status">
          <Loader size="xs" />
          <Text size="sm">Waiting for an administrator to confirm this computer…</Text>
        </Group>
      </Stack>
    </Card>
  );
}
