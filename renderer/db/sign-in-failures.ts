/**
 * Repeated failed sign-ins across the clinic's computers, for administrators (rules in
 * shared/rules/sign-in-failures.ts), read from the synced audit log.
 */
import {
  FAILURE_WINDOW_MS,
  type RepeatedFailures,
  repeatedFailures,
} from '../../shared/rules/sign-in-failures';
import { listAuditEvents } from './audit-repository';
import type { RecordStore } from './record-store';

/** Empty for anyone but an administrator (the audit log is theirs to read). */
export async function repeatedSignInFailures(
  store: RecordStore,
  now = new Date(),
): Promise<RepeatedFailures[]> {
  if (!store.roles.includes('administrator')) return [];
  const from = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
  return repeatedFailures(await listAuditEvents(store, { action: 'sign-in-failed', from }), now);
}
