/** Settings → Clinic server: the clinic key versions, which one is active, and why each exists. */
import { Alert, Badge, Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useStore } from '../../app/app-state';
import { errorMessage, formatDateTime } from '../../app/format';
import { changeKeyNow } from '../../sync/device-revocation';
import { type KeyStatus, readKeyStatus } from '../../sync/recovery';
import { syncNow } from '../../sync/sync-runtime';
import { RecoverySheetCard } from '../consent/RecoverySheetCard';
import { ResealSummary } from '../settings/ResealStatus';
import { announceKeysChanged, onKeysChanged } from './key-events';

export const REASON_WORDS: Record<string, string> = {
  'clinic-created': 'Clinic set up',
  'user-removed': 'A user was removed',
  'device-revoked': 'A computer was removed',
  manual: 'Changed by an administrator',
};

export function ClinicKeysCard() {
  const store = useStore();
  const [status, setStatus] = useState<KeyStatus>();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const isAdmin = store.roles.includes('administrator');
  const reload = useCallback(() => void readKeyStatus(store).then(setStatus), [store]);
  useEffect(() => {
    reload();
    return onKeysChanged(reload);
  }, [reload]);

  const rotate = async () => {
    setBusy(true);
    setMessage(undefined);
    try {
      const r = await changeKeyNow(store);
      setConfirming(false);
      announceKeysChanged();
      setMessage({
        ok: true,
        text:
          `Clinic key version ${r.version} is now active.` +
          (r.waiting.length
            ? ` ${r.waiting.join(', ')} will receive it after their next sign-in.`
            : ''),
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
    <>
      <Card withBorder padding="lg" component="section" aria-labelledby="keys-title">
        <Title order={3} size="h4" id="keys-title" mb="xs">
          Clinic keys
        </Title>
        <Text size="sm" mb="sm">
          Charts travel sealed under the active clinic key. A new key is made whenever a user or a
          computer is removed; older keys are kept only to read what was sealed before.
        </Text>
        <Table aria-label="Clinic key versions" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Version</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Why</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(status?.versions ?? []).map((v) => (
              <Table.Tr key={v.version}>
                <Table.Td>{v.version}</Table.Td>
                <Table.Td>
                  <Badge color={v.status === 'active' ? 'teal' : 'gray'} variant="light">
                    {v.status === 'active' ? 'Active' : 'Retired (read only)'}
                  </Badge>
                </Table.Td>
                <Table.Td>{formatDateTime(v.createdAt)}</Table.Td>
                <Table.Td>{REASON_WORDS[v.reason] ?? v.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <ResealSummary />
        {status && status.waiting.length > 0 && (
          <Alert color="yellow" mt="sm" title="Waiting for the active key">
            {status.waiting.join(', ')} {status.waiting.length === 1 ? 'has' : 'have'} not signed in
            since the last key change. They receive the active key at their next sign-in, once an
            administrator’s computer has synced.
          </Alert>
        )}
        {isAdmin &&
          (confirming ? (
            <Alert mt="sm" color="orange" title="Make a new clinic key?" role="alertdialog">
              Everyone still on the clinic keeps access; new charts are sealed under the new key.
              Use this if you suspect someone who left still has a copy of the key.
              <Group mt="sm">
                <Button color="orange" loading={busy} onClick={() => void rotate()}>
                  Make a new clinic key
                </Button>
                <Button variant="default" onClick={() => setConfirming(false)}>
                  Cancel
                </Button>
              </Group>
            </Alert>
          ) : (
            <Group mt="sm">
              <Button variant="default" onClick={() => setConfirming(true)}>
                Change the clinic key now
              </Button>
            </Group>
          ))}
        {message && (
          <Alert mt="sm" color={message.ok ? 'teal' : 'red'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </Alert>
        )}
      </Card>
      <RecoverySheetCard />
    </>
  );
}
