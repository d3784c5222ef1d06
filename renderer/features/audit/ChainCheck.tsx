import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useStore } from '../../app/app-state';
import { errorMessage, formatDateTime } from '../../app/format';
import type { ChainBreak, ChainReport, DeviceChainReport } from '../../db/audit-chain';
import { verifyAuditLog } from '../../db/audit-repository';

/** "this computer (id)" or "device id, received through sync": which chain a finding is about. */
export function deviceWords(d: DeviceChainReport): string {
  return d.received
    ? `Device ${d.deviceId} (received through sync)`
    : `This computer (device ${d.deviceId})`;
}

export function chainSummary(report: ChainReport | undefined): string {
  if (!report) return 'Chain not checked before this export.';
  const events = report.devices.reduce((n, d) => n + d.events, 0);
  if (report.ok)
    return `Chain intact: ${events} events on ${report.devices.length} device(s) (${report.devices.filter((d) => d.received).length} received through sync) checked ${report.checkedAt.slice(0, 16).replace('T', ' ')} UTC.`;
  const broken = report.devices.find((d) => d.firstBreak)!;
  return `Chain BROKEN: ${deviceWords(broken)}: ${broken.firstBreak!.problem}`;
}

/** Verifies the hash chains on demand and says, in words, where the first break is. */
export function ChainCheck(props: {
  onChecked: (r: ChainReport) => void;
  report?: ChainReport;
  /** Brings the event at a break (or the one just before events went missing) into view. */
  onShowEvent?: (deviceId: string, at: ChainBreak) => void;
}) {
  const store = useStore();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const { report } = props;

  const check = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      props.onChecked(await verifyAuditLog(store));
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="xs">
      <Group>
        <Button onClick={() => void check()} loading={busy}>
          Verify audit chain
        </Button>
        <Text size="sm">
          Recomputes every event’s keyed link and checks that none was changed, removed or
          re-ordered. Events deleted from the end are found against the clinic server’s checkpoint
          (when this computer syncs) or a printed seal (below).
        </Text>
      </Group>
      {failure && (
        <Alert color="red" role="alert" title="Could not check">
          {failure}
        </Alert>
      )}
      {report && report.ok && (
        <Alert color="teal" role="status" title="Audit chain intact">
          {chainSummary(report)}
          {report.unchained > 0 &&
            ` ${report.unchained} event(s) (such as failed sign-ins) were written outside the chain and are listed but not covered by it.`}
        </Alert>
      )}
      {report && !report.ok && (
        <Alert color="red" role="alert" title="Audit log tampering detected">
          <Stack gap={4}>
            {report.devices
              .filter((d) => d.firstBreak)
              .map((d) => (
                <Group key={d.deviceId} gap="xs" wrap="nowrap" justify="space-between">
                  <Text size="sm">
                    {deviceWords(d)}: {d.firstBreak!.problem}
                    {d.firstBreak!.at
                      ? ` (event recorded ${formatDateTime(d.firstBreak!.at)})`
                      : ''}
                  </Text>
                  {props.onShowEvent && (d.firstBreak!.eventId || d.firstBreak!.seq > 1) && (
                    <Button
                      size="xs"
                      variant="white"
                      color="red"
                      onClick={() => props.onShowEvent!(d.deviceId, d.firstBreak!)}
                    >
                      Show in the log
                    </Button>
                  )}
                </Group>
              ))}
            <Text size="sm">
              Keep this computer as it is and tell your privacy or security officer; a backup made
              before this date holds the original events.
            </Text>
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}
