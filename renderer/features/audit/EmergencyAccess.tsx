import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import { useAppState, useStore } from '../../app/app-state';
import { errorMessage, formatTime } from '../../app/format';
import {
  EMERGENCY_ACCESS_MINUTES,
  breakTheGlass,
  emergencyAccessWouldOpen,
} from '../../db/break-glass';
import type { ChartSectionProps } from '../chart/chart-sections';

/**
 * Chart action, shown only where emergency access would open something this role cannot read
 * (issue 18 point 4): a therapist, who reads every part of a chart, never sees it.
 */
export function EmergencyAccessAction({ patientId }: ChartSectionProps) {
  const store = useStore();
  const [opened, setOpened] = useState(false);
  const hidden = useLiveQuery(() => emergencyAccessWouldOpen(store, patientId), [store, patientId]);
  if (!hidden) return null;
  return (
    <>
      <Button color="red" variant="outline" onClick={() => setOpened(true)}>
        Emergency access…
      </Button>
      <EmergencyAccessDialog
        patientId={patientId}
        opened={opened}
        onClose={() => setOpened(false)}
      />
    </>
  );
}

/** Asks for the reason, records it, opens the chart for this user for a limited time. */
export function EmergencyAccessDialog(props: {
  patientId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const store = useStore();
  const [location, navigate] = useLocation();
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const confirm = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    setBusy(true);
    try {
      await breakTheGlass(store, props.patientId, reason);
      props.onClose();
      // Open the same screen again so every part of it reads again under the new access.
      const here = location;
      navigate('/');
      setTimeout(() => navigate(here), 0);
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Emergency access to this chart">
      <form onSubmit={confirm} noValidate>
        <Stack gap="sm">
          <Text size="sm">
            Your role does not normally show all of this chart. In an emergency you may read all of
            it for {EMERGENCY_ACCESS_MINUTES} minutes. Your name, the time, your reason and every
            note you open are recorded, and an administrator reviews them.
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
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={busy}>
              Open chart in an emergency
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** On every screen while emergency access lasts: nobody should forget it is on. */
export function EmergencyAccessBanner() {
  const { store, patients } = useAppState();
  const [location, navigate] = useLocation();
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 10_000);
    return () => clearInterval(t);
  }, []);
  void location; // re-checked on every navigation as well
  const access = store?.emergencyAccess();
  if (!store || !access) return null;
  const name = patients?.get(access.patientId)?.displayName ?? 'one patient';
  return (
    <Alert color="red" variant="filled" role="status" title="Emergency access" py={6}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">
          You are reading {name}’s chart beyond your role until{' '}
          {formatTime(access.until.toISOString())}. Every note you open is recorded and reviewed.
        </Text>
        <Button
          size="xs"
          variant="white"
          color="red"
          onClick={() => {
            store.endEmergencyAccess();
            navigate('/');
          }}
        >
          End emergency access
        </Button>
      </Group>
    </Alert>
  );
}
