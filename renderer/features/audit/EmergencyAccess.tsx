import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { useStore } from '../../app/app-state';
import { errorMessage, formatTime } from '../../app/format';
import {
  EMERGENCY_ACCESS_MINUTES,
  breakTheGlass,
  roleLimitsChartReading,
} from '../../db/break-glass';
import type { ChartSectionProps } from '../chart/chart-sections';

/** Chart action for roles that cannot read the whole chart: emergency access with a reason. */
export function EmergencyAccessAction({ patientId }: ChartSectionProps) {
  const store = useStore();
  const [, navigate] = useLocation();
  const [opened, setOpened] = useState(false);
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!roleLimitsChartReading(store) || store.emergencyAccess()?.patientId === patientId)
    return null;

  const confirm = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    setBusy(true);
    try {
      await breakTheGlass(store, patientId, reason);
      setOpened(false);
      // Re-open the chart so every part of it reads again under the new access.
      navigate('/');
      setTimeout(() => navigate(`/patients/${patientId}`), 0);
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button color="red" variant="outline" onClick={() => setOpened(true)}>
        Emergency access
      </Button>
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title="Emergency access to this chart"
      >
        <form onSubmit={confirm} noValidate>
          <Stack gap="sm">
            <Text size="sm">
              Your role does not normally show all of this chart. In an emergency you may read all
              of it for {EMERGENCY_ACCESS_MINUTES} minutes. Your name, the time and your reason are
              recorded in the audit log and reviewed by an administrator.
            </Text>
            <Textarea
              label="Reason for emergency access"
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              autosize
              minRows={2}
              data-autofocus
            />
            {failure && (
              <Alert color="red" role="alert" title="Not opened">
                {failure}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpened(false)}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={busy}>
                Open chart in an emergency
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

/** Above the timeline while emergency access is open: nobody should forget it is on. */
export function EmergencyAccessBanner({ patientId }: ChartSectionProps) {
  const store = useStore();
  const access = store.emergencyAccess();
  if (access?.patientId !== patientId) return null;
  return (
    <Alert color="red" role="status" title="Emergency access">
      You are reading this chart beyond your role until {formatTime(access.until.toISOString())}.
      This access is recorded in the audit log.
    </Alert>
  );
}
