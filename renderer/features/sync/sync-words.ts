import { formatAgo } from '../../app/format';

/** "just now", "4 minutes ago", "2 hours ago", or the date and time: since sync last worked. */
export function sinceWords(iso: string | undefined, now = Date.now()): string {
  return iso ? formatAgo(iso, now) : 'never';
}

/** The header's words for sync's state: which of computer and server is away, and what waits. */
export function syncLabel(
  status: { phase: string; waiting: number; lastSyncAt?: string },
  now = Date.now(),
): string {
  const waiting =
    status.waiting > 0 ? `${status.waiting} change${status.waiting === 1 ? '' : 's'} waiting` : '';
  const withWaiting = (words: string) => `${words}${waiting ? ` · ${waiting}` : ''}`;
  switch (status.phase) {
    case 'syncing':
      return 'Syncing…';
    case 'offline':
      return withWaiting('This computer is offline');
    case 'server-unreachable':
      return withWaiting('Server unreachable');
    case 'error':
      return 'Sync problem';
    default:
      return waiting || `Synced ${sinceWords(status.lastSyncAt, now)}`;
  }
}

export type ProblemSection<I extends { kind: string }> = {
  id: string;
  heading: string;
  intro: string;
  items: I[];
};

/**
 * The sync panel's problems, grouped by what happened to them: changes refused (not applied),
 * records changed on two computers at once (both versions kept, the other one openable), and
 * notices (applied, or about this computer). Empty groups are left out.
 */
export function syncProblemSections<I extends { kind: string }>(
  issues: readonly I[],
): ProblemSection<I>[] {
  const refused = new Set(['quarantined-bundle', 'rejected-change', 'clock-drift']);
  const sections: ProblemSection<I>[] = [
    {
      id: 'conflicts',
      heading: 'Changed on two computers at the same time',
      intro:
        'Both versions were kept: the record holds the change saved last, and the other value ' +
        'is kept here. Open each one and check which is right.',
      items: issues.filter((i) => i.kind === 'merge-conflict'),
    },
    {
      id: 'issues',
      heading: 'Sync problems',
      intro: 'Nothing below was applied to the charts on this computer; your own records are safe.',
      items: issues.filter((i) => refused.has(i.kind)),
    },
    {
      id: 'notices',
      heading: 'Worth knowing about sync',
      intro: 'Nothing here was lost.',
      items: issues.filter((i) => i.kind !== 'merge-conflict' && !refused.has(i.kind)),
    },
  ];
  return sections.filter((s) => s.items.length > 0);
}
