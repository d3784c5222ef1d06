/**
 * Where the charts on this computer stand against the newest clinic key version: moving there in
 * the background after a rotation (renderer/db/reseal.ts), or all there. A card in Settings →
 * Storage and backup, a line under the key versions (Settings → Clinic server), and a small badge
 * in the header while it runs.
 */
import { Alert, Badge, Progress, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useSyncExternalStore } from 'react';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import {
  type ResealStatus,
  getResealStatus,
  subscribeResealStatus,
} from '../../app/reseal-runtime';

export const useResealStatus = () => useSyncExternalStore(subscribeResealStatus, getResealStatus);

const WHY =
  'After a clinic key change, the charts already on this computer are sealed again under the ' +
  'new key, so someone who only held an older key cannot read this disk.';

/** One sentence for where things stand. */
export function resealWords(s: ResealStatus, newest: number): string {
  const state = s.state;
  if (s.phase === 'running')
    return `Sealing the charts on this computer under clinic key version ${s.target}: ${s.percent} % done.`;
  if (state && state.step !== 'done')
    return `Sealing the charts on this computer under clinic key version ${state.target} is paused at ${s.percent} %; it goes on in the background while someone is signed in.`;
  if (state?.step === 'done' && state.target >= newest)
    return `Every chart on this computer is sealed under clinic key version ${state.target}${
      state.finishedAt ? ` (since ${formatDateTime(state.finishedAt)})` : ''
    }.`;
  return `New charts are sealed under clinic key version ${newest}.`;
}

/** The line under the key versions. */
export function ResealSummary() {
  const store = useStore();
  const s = useResealStatus();
  return (
    <Text size="xs" c="dimmed" mt="xs" role="status">
      {resealWords(s, store.session.keyVersion)}
    </Text>
  );
}

/** Settings → Storage and backup. */
export function ResealCard() {
  const store = useStore();
  const s = useResealStatus();
  const state = s.state;
  const moving = s.phase === 'running' || (state && state.step !== 'done');
  return (
    <Stack gap="sm" component="section" aria-labelledby="reseal-title">
      <Title order={3} id="reseal-title">
        Charts and the clinic key
      </Title>
      <Text size="sm">{WHY}</Text>
      <Text size="sm" role="status">
        {resealWords(s, store.session.keyVersion)}
      </Text>
      {moving && (
        <>
          <Progress
            value={Math.max(s.percent, 1)}
            aria-label="Charts sealed under the newest clinic key"
            w={420}
            animated={s.phase === 'running'}
          />
          <Text size="xs" c="dimmed">
            You can keep working: every chart stays readable throughout. Locking or signing out
            pauses it, and nothing is lost.
          </Text>
        </>
      )}
      {!!state?.skipped && (
        <Alert color="yellow" title="Some items wait for another user">
          {state.skipped} item{state.skipped === 1 ? ' is' : 's are'} sealed under a key version
          your sign-in does not hold. They are moved when an administrator signs in here.
        </Alert>
      )}
      {!!state?.damaged && (
        <Alert color="red" title="Damaged items">
          {state.damaged} item{state.damaged === 1 ? '' : 's'} on this computer could not be opened
          (the disk may be damaged) and {state.damaged === 1 ? 'was' : 'were'} left exactly as
          found. Restore from a backup or sync from the clinic server, and tell your security
          officer.
        </Alert>
      )}
      {s.phase === 'error' && (
        <Alert color="red" title="Sealing stopped" role="alert">
          {s.error}
        </Alert>
      )}
    </Stack>
  );
}

/** Header: shown only while it runs. */
export function ResealBadge() {
  const s = useResealStatus();
  if (s.phase !== 'running') return null;
  return (
    <Tooltip label={WHY} multiline w={280}>
      <Badge
        variant="light"
        color="gray"
        tabIndex={0}
        style={{ flexShrink: 0 }}
        aria-label={`Sealing charts under the new clinic key: ${s.percent} % done`}
      >
        Sealing {s.percent} %
      </Badge>
    </Tooltip>
  );
}
