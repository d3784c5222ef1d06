/**
 * Repeated failed sign-ins, told to administrators (issue 18 point 6; HIPAA 45 CFR
 * 164.308(a)(5)(ii)(C), log-in monitoring: "procedures for monitoring log-in attempts and
 * reporting discrepancies"). Each computer already slows down wrong tries for a user name; this
 * is what an administrator sees across the clinic's computers, from the synced audit log.
 */

export const REPEATED_FAILURES = 3;
export const FAILURE_WINDOW_MS = 24 * 3_600_000;

export type FailureLine = { at: string; userId: string; userName: string; deviceId: string };
export type RepeatedFailures = {
  userId: string;
  userName: string;
  count: number;
  devices: number;
  lastAt: string;
};

/** Per user (or per unknown user name), failures in the last day when there were 3 or more. */
export function repeatedFailures(lines: readonly FailureLine[], now: Date): RepeatedFailures[] {
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
  const byUser = new Map<string, FailureLine[]>();
  for (const l of lines) {
    if (l.at < since) continue;
    byUser.set(l.userId, [...(byUser.get(l.userId) ?? []), l]);
  }
  return [...byUser.values()]
    .filter((ls) => ls.length >= REPEATED_FAILURES)
    .map((ls) => ({
      userId: ls[0]!.userId,
      userName: ls[0]!.userId ? ls[0]!.userName : 'A user name not in this clinic',
      count: ls.length,
      devices: new Set(ls.map((l) => l.deviceId)).size,
      lastAt: ls
        .map((l) => l.at)
        .sort()
        .at(-1)!,
    }))
    .sort((a, b) => (a.lastAt < b.lastAt ? 1 : -1));
}
