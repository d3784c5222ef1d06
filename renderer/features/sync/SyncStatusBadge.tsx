/** Header status of sync: when it last worked, what is waiting, and problems in plain words. */
import { Button, Popover, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useStore } from '../../app/app-state';
import { startSync, stopSync, syncNow } from '../../sync/sync-runtime';
import { RecoveryKeyNudge } from './RecoveryKeyNudge';
import { useSyncStatus } from './use-sync-status';
import { sinceWords, syncLabel } from './sync-words';

export function SyncStatusBadge() {
  const store = useStore();
  const status = useSyncStatus();
  const [manual, setManual] = useState(false);
  useEffect(() => {
    startSync(store);
    return () => stopSync();
  }, [store]);
  if (status.phase === 'off') return <RecoveryKeyNudge />;

  const label = syncLabel(status);
  const color =
    status.phase === 'error'
      ? 'red'
      : status.phase === 'offline' || status.phase === 'server-unreachable'
        ? 'orange'
        : 'teal';

  return (
    <>
      <RecoveryKeyNudge />
      <Popover width={320} position="bottom-end" withArrow>
        <Popover.Target>
          <Button size="xs" variant="light" color={color} aria-label={`Sync status: ${label}`}>
            {label}
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <Stack gap="xs">
            <Text size="sm">
              Last synced: <strong>{sinceWords(status.lastSyncAt)}</strong>
            </Text>
            <Text size="sm">
              Changes waiting to upload: <strong>{status.waiting}</strong>
            </Text>
            {status.error && (
              <Text size="sm" c="red.8" role="alert">
                {status.error}
              </Text>
            )}
            {status.held > 0 && (
              <Text size="sm">
                {status.held} change{status.held === 1 ? '' : 's'} from other computers{' '}
                {status.held === 1 ? 'waits' : 'wait'} to be applied (see Settings → Clinic server);
                tried again at every sync.
              </Text>
            )}
            {status.issues > 0 && (
              <Text size="sm">
                {status.issues} sync problem{status.issues === 1 ? '' : 's'} to review in Settings →
                Clinic server.
              </Text>
            )}
            <Button
              size="xs"
              onClick={() => {
                setManual(true);
                void syncNow().finally(() => setManual(false));
              }}
              loading={manual}
            >
              Sync now
            </Button>
          </Stack>
        </Popover.Dropdown>
      </Popover>
    </>
  );
}
