/**
 * Dexie v5 upgrade: bundles that older versions refused for a clock far ahead were kept (bytes and
 * all) with a clock-drift issue, but the cursor had moved past them and nothing retried them, so
 * their changes were lost for good (issue 14 finding 1). They become held bundles, retried from
 * the next round on; the issue is marked resolved.
 */
import type { Transaction } from 'dexie';
import type { HeldBundle } from './sync-held';
import type { SyncIssue } from './sync-state';

export async function heldFromClockDriftIssues(tx: Transaction) {
  const issues = (await tx.table('syncIssues').toArray()) as SyncIssue[];
  const drifted = issues.filter(
    (i) => i.kind === 'clock-drift' && !i.resolved && i.bytes && i.bundleId && i.seq !== undefined,
  );
  if (!drifted.length) return;
  const held: HeldBundle[] = drifted.map((i) => ({
    bundleId: i.bundleId!,
    seq: i.seq!,
    fromDevice: i.fromDevice ?? '',
    bytes: i.bytes!,
    whole: { reason: 'clock-ahead', message: i.message },
    heldAt: i.at,
    tries: 0,
  }));
  await tx.table('syncHeld').bulkPut(held);
  await tx.table('syncIssues').bulkPut(drifted.map((i) => ({ ...i, resolved: true })));
}
