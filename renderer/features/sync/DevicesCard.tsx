/**
 * Settings → Clinic server, on an administrator's computer: the clinic's enrolled computers, and
 * removing one that was lost or retired. The server refuses it from the next request; a new clinic
 * key version is made at once so whatever it held opens nothing sealed from now on.
 */
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { DeviceInfo } from '../../../shared/sync/protocol';
import { useStore } from '../../app/app-state';
import { errorMessage, formatDateTime } from '../../app/format';
import { revokeDeviceAndRotate } from '../../sync/device-revocation';
import { loadDeviceSecrets } from '../../sync/device-credentials';
import { platformKeychain } from '../../sync/platform-keychain';
import { ServerClient } from '../../sync/server-client';
import { syncNow } from '../../sync/sync-runtime';
import { announceKeysChanged } from './key-events';

export function DevicesCard({ serverUrl, thisDevice }: { serverUrl: string; thisDevice: string }) {
  const store = useStore();
  const [devices, setDevices] = useState<DeviceInfo[]>();
  const [confirm, setConfirm] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();

  const client = useCallback(async () => {
    const secrets = await loadDeviceSecrets(platformKeychain);
    if (!secrets) throw new Error('This computer’s sync key is missing. Connect it again.');
    return new ServerClient(serverUrl, secrets.token);
  }, [serverUrl]);

  const reload = useCallback(() => {
    void client()
      .then((c) => c.devices())
      .then((r) => setDevices(r.devices))
      .catch((e: unknown) => setMessage({ ok: false, text: errorMessage(e) }));
  }, [client]);
  useEffect(reload, [reload]);

  const revoke = async (deviceId: string) => {
    setBusy(true);
    setMessage(undefined);
    try {
      const r = await revokeDeviceAndRotate(store, await client(), deviceId);
      setConfirm(undefined);
      announceKeysChanged();
      setMessage({
        ok: true,
        text: `The computer was removed. Clinic key version ${r.version} is now active.`,
      });
      void syncNow();
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    } finally {
      setBusy(false);
      reload();
    }
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="devices-title">
      <Title order={3} size="h4" id="devices-title" mb="xs">
        Computers of this clinic
      </Title>
      <Table aria-label="Enrolled computers" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Computer</Table.Th>
            <Table.Th>Enrolled</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(devices ?? []).map((d) => (
            <Table.Tr key={d.deviceId}>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {d.deviceId.slice(-8)}
                </Text>
                {d.deviceId === thisDevice && <Text size="xs">This computer</Text>}
              </Table.Td>
              <Table.Td>{formatDateTime(d.enrolledAt)}</Table.Td>
              <Table.Td>
                {d.revokedAt ? (
                  <Badge color="gray" variant="light">
                    Removed {formatDateTime(d.revokedAt)}
                  </Badge>
                ) : (
                  <Badge color="teal" variant="light">
                    {d.admin ? 'Active, administrator' : 'Active'}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {!d.revokedAt && d.deviceId !== thisDevice && (
                  <Button
                    size="xs"
                    variant="default"
                    color="red"
                    aria-label={`Remove computer ${d.deviceId.slice(-8)}`}
                    onClick={() => setConfirm(d.deviceId)}
                  >
                    Remove
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {confirm && (
        <Alert mt="sm" color="orange" title="Remove this computer?" role="alertdialog">
          It can no longer sync, and a new clinic key is made so that anything sealed from now on
          cannot be opened with what it holds. Charts already on it stay on it: if it was lost, also
          consider changing passphrases.
          <Group mt="sm">
            <Button color="red" loading={busy} onClick={() => void revoke(confirm)}>
              Remove computer
            </Button>
            <Button variant="default" onClick={() => setConfirm(undefined)}>
              Cancel
            </Button>
          </Group>
        </Alert>
      )}
      {message && (
        <Alert mt="sm" color={message.ok ? 'teal' : 'red'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </Alert>
      )}
    </Card>
  );
}
