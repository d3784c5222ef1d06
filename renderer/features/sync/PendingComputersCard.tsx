/**
 * Settings → Clinic server, for administrators: computers that used an enrollment code and wait to
 * be confirmed. Each shows the digits its own screen shows; the administrator confirms only when
 * they are the same (a hostile server showing either side something else makes them differ), and
 * says whose computer it is. Confirming adds it to the clinic's membership chain.
 */
import { Alert, Button, Card, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useStore } from '../../app/app-state';
import { errorMessage, formatDateTime } from '../../app/format';
import { useRecordsOfKind } from '../../app/use-records';
import { loadDeviceSecrets } from '../../sync/device-credentials';
import { platformKeychain } from '../../sync/platform-keychain';
import { ServerClient } from '../../sync/server-client';
import { syncNow } from '../../sync/sync-runtime';
import { type PendingDevice, confirmDevice, pendingDevices } from '../../trust/devices';

const POLL_MS = 3_000;

export function PendingComputersCard({ serverUrl }: { serverUrl: string }) {
  const store = useStore();
  const users = (useRecordsOfKind('user') ?? []).filter((u) => u.active);
  const [pending, setPending] = useState<PendingDevice[]>([]);
  const [owners, setOwners] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();

  const client = useCallback(async () => {
    const secrets = await loadDeviceSecrets(platformKeychain);
    if (!secrets) throw new Error('This computer’s sync key is missing. Connect it again.');
    return new ServerClient(serverUrl, secrets.token);
  }, [serverUrl]);

  const reload = useCallback(async () => {
    try {
      setPending(await pendingDevices(store, await client()));
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    }
  }, [store, client]);

  useEffect(() => {
    void reload();
    const timer = setInterval(() => void reload(), POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const confirm = async (d: PendingDevice) => {
    setBusy(d.deviceId);
    setMessage(undefined);
    try {
      const owner = ownerOf(d);
      await confirmDevice(store, await client(), d, owner);
      const name = users.find((u) => u.id === owner)?.displayName ?? 'the chosen user';
      setMessage({ ok: true, text: `${label(d)} joined the clinic as ${name}’s.` });
      void syncNow();
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    } finally {
      setBusy(undefined);
      await reload();
    }
  };

  /** The user the joining computer named (a claim it typed; the administrator can change it). */
  const claimed = (d: PendingDevice) => {
    const typed = d.username?.trim().toLowerCase();
    return typed ? users.find((u) => u.username.toLowerCase() === typed) : undefined;
  };
  const ownerOf = (d: PendingDevice) =>
    owners[d.deviceId] ?? claimed(d)?.id ?? store.session.user.id;

  if (!pending.length && !message) return null;
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="pending-title">
      <Title order={3} size="h4" id="pending-title" mb="xs">
        Computers waiting to join
      </Title>
      {pending.length > 0 && (
        <>
          <Text size="sm" mb="sm">
            Look at the joining computer’s screen. Confirm only if it shows the very same numbers as
            here; if they differ, do not confirm and remove the computer below.
          </Text>
          <Table aria-label="Computers waiting to join" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Computer</Table.Th>
                <Table.Th>Numbers to compare</Table.Th>
                <Table.Th>Whose computer</Table.Th>
                <Table.Th>Confirm</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {pending.map((d) => (
                <Table.Tr key={d.deviceId}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {d.name ?? 'Unnamed computer'}
                    </Text>
                    {d.username && (
                      <Text size="xs">
                        for {claimed(d)?.displayName ?? `“${d.username}” (no such user here)`}
                      </Text>
                    )}
                    <Text size="xs" c="dimmed">
                      id …
                      <Text span ff="monospace" size="xs">
                        {short(d)}
                      </Text>
                      , asked {formatDateTime(d.enrolledAt)}
                    </Text>
                    {d.replaces && (
                      <Text size="xs">
                        connecting again in place of computer{' '}
                        <Text span ff="monospace" size="xs">
                          {d.replaces.slice(-8)}
                        </Text>
                        , which confirming removes
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text
                      fw={700}
                      ff="monospace"
                      style={{ whiteSpace: 'nowrap' }}
                      aria-label={`Numbers shown for ${label(d)}`}
                    >
                      {d.fingerprint}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={`Whose computer is ${label(d)}`}
                      data={users.map((u) => ({ value: u.id, label: u.displayName }))}
                      value={ownerOf(d)}
                      onChange={(v) => v && setOwners({ ...owners, [d.deviceId]: v })}
                      allowDeselect={false}
                      w={200}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      loading={busy === d.deviceId}
                      aria-label={`The numbers match: confirm ${label(d)}`}
                      onClick={() => void confirm(d)}
                    >
                      The numbers match
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
      {message && (
        <Stack mt="sm">
          <Alert color={message.ok ? 'teal' : 'red'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </Alert>
        </Stack>
      )}
    </Card>
  );
}

const short = (d: { deviceId: string }) => d.deviceId.slice(-8);
/** "computer “Front desk” (…3f9a2c1b)", or "computer …3f9a2c1b" when it gave no name. */
const label = (d: PendingDevice) =>
  d.name ? `computer “${d.name}” (…${short(d)})` : `computer …${short(d)}`;
