/**
 * The computer whose clock is wrong is told so (issue 14 finding 1): each round compares this
 * computer's clock with the clinic server's (the pull page carries the server's time) and with
 * the times it has already stamped on its own changes. While either is off by more than a couple
 * of minutes, one sync problem says so in plain words; it is marked resolved once both agree.
 * Other computers hold changes stamped too far ahead until their own clocks reach those times
 * (renderer/db/incoming-checks.ts), so this is what the person at this computer can fix.
 */
import type { HybridClock } from '../../shared/sync/hlc';
import { durationWords } from '../db/incoming-checks';
import type { KatDatabase } from '../db/database';
import { syncTables } from '../db/sync-state';

/** Beyond this the clocks are called off (request time and rounding stay well below it). */
export const CLOCK_OFF_MS = 2 * 60_000;

export function ownClockWords(
  clock: HybridClock,
  serverTime: string | undefined,
): string | undefined {
  const wall = clock.wallNow();
  const skew = serverTime ? wall - Date.parse(serverTime) : 0;
  const stamped = clock.aheadOfWallClock(clock.latest);
  const fix =
    'Set this computer’s date and time to update automatically (in the operating system’s settings).';
  if (Math.abs(skew) > CLOCK_OFF_MS) {
    const words = durationWords(Math.round(Math.abs(skew) / 60_000));
    return skew > 0
      ? `This computer’s clock is about ${words} ahead of the clinic server’s. Other computers ` +
          `hold the changes made here until their clocks reach the times stamped on them. ${fix}`
      : `This computer’s clock is about ${words} behind the clinic server’s. Changes from other ` +
          `computers wait here until this clock reaches their times. ${fix}`;
  }
  if (stamped > clock.maxDriftMs) {
    const until = new Date(wall + stamped - clock.maxDriftMs).toLocaleString();
    return (
      `This computer’s clock was ahead earlier: changes made here carry times up to about ` +
      `${durationWords(Math.round(stamped / 60_000))} in the future, so other computers apply ` +
      `them only from about ${until}. Nothing is lost; they wait on the other computers.`
    );
  }
  return undefined;
}

/** Lists (or updates, or resolves) this computer's one clock problem. */
export async function noteOwnClock(db: KatDatabase, clock: HybridClock, serverTime?: string) {
  const message = ownClockWords(clock, serverTime);
  const issues = syncTables(db).issues;
  const open = (await issues.where('kind').equals('clock-off').toArray()).filter(
    (i) => !i.resolved,
  );
  if (!message) {
    if (open.length) await issues.bulkPut(open.map((i) => ({ ...i, resolved: true })));
    return;
  }
  if (open[0]?.message === message) return;
  const at = new Date().toISOString();
  await issues.bulkPut(open.map((i) => ({ ...i, resolved: true })));
  await issues.add({ at, kind: 'clock-off', message });
}
