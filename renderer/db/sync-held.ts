/**
 * Hold and retry (issue 14 point 1; THREATS.md principle 6). A pulled change that cannot be
 * applied YET — its clock is ahead of ours, its bundle is sealed under a key version or signed by
 * a device this computer does not know yet, its author's membership is not verified yet — is held
 * here, below the cursor, and retried every round (and as soon as its condition clears) until it
 * applies. The cursor moves on past it in the same transaction as the hold (SYNC.md rule 7), so
 * one such change never wedges sync (rule 11), and never is it skipped for good.
 *
 * What can never become valid (a bad signature or tag, a record that breaks a rule) is not held:
 * it is quarantined or rejected and listed in the sync panel (rule 9).
 *
 * A held bundle is kept as pulled: signed and encrypted under the clinic key, so nothing is
 * readable at rest. `changes` lists the changes of it still held; without it the whole bundle is
 * (it could not be opened yet).
 */
import type { KatDatabase } from './database';

/**
 * Why a change waits. Checks of incoming changes may add their own reasons (i13's membership
 * check: 'membership-unverified'); the words for people travel in `message`.
 */
export type HoldReason =
  | 'clock-ahead'
  | 'unknown-key-version'
  | 'unknown-device'
  | 'membership-unverified'
  | 'needs-update'
  | (string & {});

export type HoldWhy = {
  reason: HoldReason;
  /** Plain words for the sync panel: what waits, why, and what clears it. */
  message: string;
  /** Not worth retrying before this time (ms since epoch); absent: every round. */
  retryAt?: number;
};

export type HeldChange = HoldWhy & { changeId: string; recordId?: string };

export type HeldBundle = {
  bundleId: string;
  seq: number;
  fromDevice: string;
  /** The bundle exactly as pulled. */
  bytes: Uint8Array;
  /** Why the whole bundle waits (it could not be opened yet); absent when only `changes` wait. */
  whole?: HoldWhy;
  /** The changes of this bundle still held, each with its reason. */
  changes?: HeldChange[];
  heldAt: string;
  lastTriedAt?: string;
  tries: number;
};

export const heldTable = (db: KatDatabase) => db.syncHeld;

/** When a held bundle is next worth trying (ms since epoch). */
export function nextTry(h: HeldBundle): number {
  const whys = h.whole ? [h.whole] : (h.changes ?? []);
  return Math.min(...whys.map((w) => w.retryAt ?? 0));
}

/** Held bundles due for a retry now, oldest sequence first. */
export async function dueHeld(db: KatDatabase, now = Date.now()): Promise<HeldBundle[]> {
  const all = await heldTable(db).orderBy('seq').toArray();
  return all.filter((h) => nextTry(h) <= now);
}

/** Everything held, for the sync panel. */
export async function listHeld(db: KatDatabase): Promise<HeldBundle[]> {
  return heldTable(db).orderBy('seq').toArray();
}

/** How many changes are held (a whole bundle counts as one until it can be opened). */
export function heldCount(held: readonly HeldBundle[]): number {
  return held.reduce((n, h) => n + (h.whole ? 1 : (h.changes?.length ?? 0)), 0);
}
