import { Alert, Button, Divider, Group, Progress, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import {
  type StorageStatus,
  formatBytes,
  requestPersistentStorage,
  storageStatus,
} from '../../db/storage-health';
import { BackupPanel } from '../backup/BackupPanel';
import { ScheduledBackupPanel } from '../backup/ScheduledBackupPanel';
import { ResealCard } from './ResealStatus';

/** Settings → Storage: how much room the charts take, whether the browser may evict them, backups. */
export function StoragePanel() {
  const [status, setStatus] = useState<StorageStatus>();
  const [asked, setAsked] = useState(false);
  const refresh = useCallback(() => void storageStatus().then(setStatus), []);
  useEffect(refresh, [refresh]);

  const ask = async () => {
    await requestPersistentStorage();
    setAsked(true);
    refresh();
  };
  const share =
    status?.usageBytes !== undefined && status.quotaBytes
      ? (status.usageBytes / status.quotaBytes) * 100
      : undefined;

  return (
    <Stack gap="lg">
      <Stack gap="sm" component="section" aria-labelledby="storage-title">
        <Title order={3} id="storage-title">
          Storage on this computer
        </Title>
        {!status ? (
          <Text size="sm">Checking storage…</Text>
        ) : !status.supported ? (
          <Text size="sm">This browser does not report how much storage KAT Chart uses.</Text>
        ) : (
          <>
            <Text size="sm">
              Using {formatBytes(status.usageBytes ?? 0)}
              {status.quotaBytes ? ` of ${formatBytes(status.quotaBytes)} available` : ''}.
            </Text>
            {share !== undefined && (
              <Progress value={Math.max(share, 1)} aria-label="Storage used" w={420} />
            )}
            {status.persisted ? (
              <Alert color="teal" role="status" title="Protected storage">
                The charts on this computer are kept even when the disk runs low.
              </Alert>
            ) : (
              <Alert color="yellow" role="status" title="Storage may be cleared">
                <Stack gap="xs">
                  <Text size="sm">
                    When the disk runs low, the browser may clear data that is not protected.
                    Protect it, and make backups regularly.
                  </Text>
                  <Group>
                    <Button size="xs" variant="default" onClick={() => void ask()}>
                      Protect storage
                    </Button>
                    {asked && (
                      <Text size="sm">The browser did not agree; keep making backups.</Text>
                    )}
                  </Group>
                </Stack>
              </Alert>
            )}
          </>
        )}
      </Stack>
      <Divider />
      <ResealCard />
      <Divider />
      <BackupPanel />
      <Divider />
      <ScheduledBackupPanel />
    </Stack>
  );
}
