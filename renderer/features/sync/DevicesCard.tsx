/**
 * Settings → Clinic server, on an administrator's computer: the clinic's enrolled computers — each
 * with the name it was given when it joined, who last signed in on it, its app version, when the
 * server last heard from it and last gave it changes (its profile is sealed under the clinic key,
 * renderer/sync/device-profile.ts) — and removing one that was lost or retired. The server refuses it from the next request; a new clinic
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
import { errorMessage, formatAgo, formatDateTime } from '../../app/format';
import { revokeDeviceAndRotate } from '../../sync/device-revocation';
import { type DeviceProfile, openDeviceProfile } from '../../sync/device-profile';
import { loadDeviceSecrets } from '../../sync/device-credentials';
import { platformKeychain } from '../../sync/platform-keychain';
import { ServerClient } from '../../sync/server-client';
import { syncNow } from '../../sync/sync-runtime';
import { announceKeysChanged } from './key-events';

type Row = DeviceInfo & { profile_?: DeviceProfile };

/** The name an administrator knows it by; the end of its id when it never sent one. */
export const computerLabel = (d: Row) =>
  d.profile_?.name ?? `Unnamed computer …${d.deviceId.slice(-8)}`;

function When({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <Text size="sm">Never</Text>;
  return (
    <Text size="sm" title={formatDateTime(iso)}>
      {formatAgo(iso)}
    </Text>
  );
}

export function DevicesCard({
  serverUrl,
  clinicId,
  thisDevice,
}: {
  serverUrl: string;
  clinicId: string;
  thisDevice: string;
}) {
  const store = useStore();
  const [devices, setDevices] = useState<Row[]>();
  const [confirm, setConfirm] = useState<Row>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();

  const client = useCallback(async () => {
    const secrets = await loadDeviceSecrets(platformKeychain);
    if (!secrets) throw new Error('This computer’s sync key is missing. Connect it again.');
    return new ServerClient(serverUrl, secrets.token);
  }, [serverUrl]);

  const reload = useCallback(() => {
    const { session } = store;
    const keyFor = (v: number) =>
      session.keyring?.keyFor(v) ?? (v === session.keyVersion ? session.dataKey : undefined);
    void client()
      .then((c) => c.devices())
      .then((r) =>
        Promise.all(
          r.devices.map(async (d) => ({
            ...d,
            profile_: await openDeviceProfile(keyFor, clinicId, d.deviceId, d.profile),
          })),
        ),
      )
      .then(setDevices)
      .catch((e: unknown) => setMessage({ ok: false, text: errorMessage(e) }));
  }, [client, clinicId, store]);
  useEffect(reload, [reload]);

  const revoke = async (device: Row) => {
    setBusy(true);
    setMessage(undefined);
    try {
      const r = await revokeDeviceAndRotate(store, await client(), device.deviceId);
      setConfirm(undefined);
      announceKeysChanged();
      setMessage({
        ok: true,
        text: `“${computerLabel(device)}” was removed: it can no longer sync. Clinic key version ${r.version} is now active.`,
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
      <Table aria-label="Computers of this clinic" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Computer</Table.Th>
            <Table.Th>User</Table.Th>
            <Table.Th>Last seen</Table.Th>
            <Table.Th>Last sync</Table.Th>
            <Table.Th>App version</Table.Th>
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
                <Text size="sm" fw={600}>
                  {computerLabel(d)}
                </Text>
                <Text size="xs" c="dimmed">
                  {d.deviceId === thisDevice ? 'This computer · ' : ''}Joined{' '}
                  {formatDateTime(d.enrolledAt)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{d.profile_?.user ?? '—'}</Text>
              </Table.Td>
              <Table.Td>
                <When iso={d.lastSeenAt} />
              </Table.Td>
              <Table.Td>
                <When iso={d.lastSyncAt} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{d.profile_?.appVersion ?? '—'}</Text>
              </Table.Td>
              <Table.Td>
                {d.revokedAt ? (
                  <>
                    <Badge color="gray" variant="light">
                      Removed
                    </Badge>
                    <Text size="xs" c="dimmed">
                      {formatDateTime(d.revokedAt)}
                    </Text>
                  </>
                ) : (
                  <>
                    <Badge color="teal" variant="light">
                      Active
                    </Badge>
                    {d.admin && (
                      <Text size="xs" c="dimmed">
                        Administrator’s computer
                      </Text>
                    )}
                  </>
                )}
              </Table.Td>
              <Table.Td>
                {!d.revokedAt && d.deviceId !== thisDevice && (
                  <Button
                    size="xs"
                    variant="default"
                    color="red"
                    aria-label={`Remove computer ${computerLabel(d)}`}
                    onClick={() => setConfirm(d)}
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
        <Alert
          mt="sm"
          color="orange"
          title={`Remove “${computerLabel(confirm)}”?`}
          role="alertdialog"
        >
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
