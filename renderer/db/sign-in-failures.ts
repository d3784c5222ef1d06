/**
 * Repeated failed sign-ins across the clinic's computers, for administrators (rules in
 * shared/rules/sign-in-failures.ts), read from the synced audit log.
 */
import {
  FAILURE_WINDOW_MS,
  type RepeatedFailures,
  repeatedFailures,
} from '../../shared/rules/sign-in-failures';
import type { RecordStore } from './record-store';

/**
 * Empty for anyone but an administrator (the audit log is theirs to read). A live query runs this
 * at every audit event, so it reads the failures through the action index and only the users'
 * names, never the whole log or the patients.
 */
export async function repeatedSignInFailures(
  store: RecordStore,
  now = new Date(),
): Promise<RepeatedFailures[]> {
  if (!store.roles.includes('administrator')) return [];
  const from = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
  const [rows, users] = await Promise.all([
    store.db.audit
      .where('action')
      .equals('sign-in-failed')
      .filter((r) => r.at >= from)
      .toArray(),
    store.listKind('user'),
  ]);
  const name = new Map(users.map((u) => [u.id, u.displayName]));
  return repeatedFailures(
    rows.map((r) => ({
      at: r.at,
      userId: r.userId,
      userName: name.get(r.userId) ?? 'Unknown user',
      deviceId: r.deviceId,
    })),
    now,
  );
}
