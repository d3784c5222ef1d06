import {
  Alert,
  Button,
  Group,
  NumberInput,
  Select,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useStore } from '../../app/app-state';
import { errorMessage, formatDateTime } from '../../app/format';
import {
  type BackupSchedule,
  DEFAULT_SCHEDULE,
  readBackupSchedule,
  saveBackupSchedule,
} from '../../db/backup-schedule';
import { platform } from '../../platform';
import { runScheduledBackup } from './scheduled-backup';

type Form = Pick<BackupSchedule, 'enabled' | 'frequency' | 'keep'>;

/**
 * Settings → Storage and backup: the automatic backup of the desktop app. Browser mode says
 * plainly that it is a desktop feature (a web page cannot write into a folder on a schedule).
 */
export function ScheduledBackupPanel() {
  const store = useStore();
  const admin = store.roles.includes('administrator');
  const [desktop, setDesktop] = useState<boolean>();
  const [folder, setFolder] = useState<string | null>(null);
  const [schedule, setSchedule] = useState<BackupSchedule>(DEFAULT_SCHEDULE);
  const [form, setForm] = useState<Form>(DEFAULT_SCHEDULE);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string }>();

  const load = useCallback(async () => {
    const info = await platform.appInfo();
    const can = info.ok && info.value.features.backupFolder;
    setDesktop(can);
    if (!can) return;
    const current = await platform.backupFolder();
    if (current.ok) setFolder(current.value.folder);
    const s = await readBackupSchedule(store.db);
    setSchedule(s);
    setForm({ enabled: s.enabled, frequency: s.frequency, keep: s.keep });
  }, [store]);
  useEffect(() => void load(), [load]);

  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    setNotice(undefined);
    try {
      setNotice({ ok: true, text: await work() });
    } catch (e) {
      setNotice({ ok: false, text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const chooseFolder = () =>
    act(async () => {
      const chosen = await platform.chooseBackupFolder();
      if (!chosen.ok) throw new Error(chosen.error.message);
      if (chosen.value.outcome === 'cancelled') return 'The backup folder was not changed.';
      setFolder(chosen.value.folder);
      return `Backups will be written into ${chosen.value.folder}.`;
    });

  const save = () =>
    act(async () => {
      if (form.enabled && !folder) throw new Error('Choose a backup folder first.');
      setSchedule(await saveBackupSchedule(store, form));
      return form.enabled
        ? `Automatic backups are on: ${form.frequency}, keeping the newest ${form.keep}.`
        : 'Automatic backups are off.';
    });

  const backUpNow = () =>
    act(async () => {
      const after = await runScheduledBackup(store, platform);
      setSchedule(after);
      if (after.lastError) throw new Error(after.lastError);
      return `Backup written as ${after.lastFileName}.`;
    });

  return (
    <Stack gap="sm" component="section" aria-labelledby="scheduled-backup-title">
      <Title order={3} id="scheduled-backup-title">
        Automatic backup
      </Title>
      {desktop === undefined ? (
        <Text size="sm">Checking what this computer can do…</Text>
      ) : !desktop ? (
        <Alert color="blue" role="status" title="Scheduled backups are a desktop feature">
          The KAT Chart desktop app writes an encrypted backup on a schedule into a folder you
          choose, such as a USB drive. In the browser, save a backup by hand (above) regularly.
        </Alert>
      ) : (
        <>
          <Text size="sm">
            While someone is signed in, KAT Chart writes a backup into the chosen folder daily or
            weekly and removes the oldest beyond the number to keep. Each file is sealed under the
            clinic key: no passphrase is stored, and any user of the clinic can restore it with
            their own user name and passphrase.
          </Text>
          <Group gap="sm">
            <Text size="sm">
              Folder: <strong>{folder ?? 'none chosen yet'}</strong>
            </Text>
            {admin && (
              <Button
                size="xs"
                variant="default"
                onClick={() => void chooseFolder()}
                disabled={busy}
              >
                Choose folder…
              </Button>
            )}
          </Group>
          {admin ? (
            <Stack gap="sm" maw={420}>
              <Switch
                label="Back up automatically"
                checked={form.enabled}
                onChange={(e) => setForm({ ...form, enabled: e.currentTarget.checked })}
              />
              <Select
                label="How often"
                data={[
                  { value: 'daily', label: 'Daily' },
                  { value: 'weekly', label: 'Weekly' },
                ]}
                value={form.frequency}
                allowDeselect={false}
                onChange={(v) =>
                  setForm({ ...form, frequency: v === 'weekly' ? 'weekly' : 'daily' })
                }
              />
              <NumberInput
                label="Backups to keep"
                min={1}
                max={365}
                value={form.keep}
                onChange={(v) => setForm({ ...form, keep: typeof v === 'number' ? v : Number(v) })}
              />
              <Group>
                <Button onClick={() => void save()} loading={busy}>
                  Save schedule
                </Button>
                <Button
                  variant="default"
                  onClick={() => void backUpNow()}
                  disabled={busy || !folder}
                >
                  Back up now
                </Button>
              </Group>
            </Stack>
          ) : (
            <Text size="sm">Only an administrator can change the schedule.</Text>
          )}
          <BackupStatus schedule={schedule} />
        </>
      )}
      {notice && (
        <Alert color={notice.ok ? 'teal' : 'red'} role={notice.ok ? 'status' : 'alert'}>
          {notice.text}
        </Alert>
      )}
    </Stack>
  );
}

function BackupStatus({ schedule }: { schedule: BackupSchedule }) {
  return (
    <Stack gap={4}>
      <Text size="sm">
        Last automatic backup:{' '}
        {schedule.lastBackupAt
          ? `${formatDateTime(schedule.lastBackupAt)} (${schedule.lastFileName ?? ''})`
          : 'none yet'}
      </Text>
      {schedule.lastError && schedule.lastAttemptAt && (
        <Alert color="red" role="alert" title="The last automatic backup failed">
          {formatDateTime(schedule.lastAttemptAt)}: {schedule.lastError} KAT Chart tries again
          within the hour.
        </Alert>
      )}
    </Stack>
  );
}
