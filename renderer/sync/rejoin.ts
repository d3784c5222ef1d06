/**
 * "Join again": a computer an administrator removed (or whose credentials the server no longer
 * takes) joins its own clinic again with a new join code, keeping everything charted on it. The
 * same steps as re-enrolling a computer that lost its credentials (reenroll.ts): one code path,
 * one screen (renderer/features/sync/RejoinCard.tsx).
 */
import type { KatDatabase } from '../db/database';
import type { Keychain } from './device-credentials';
import { type Reenrolled, reenrollComputer } from './reenroll';
import type { Fetch } from './server-client';

export function rejoinClinic(
  db: KatDatabase,
  keychain: Keychain,
  input: { serverUrl: string; code: string },
  fetchImpl?: Fetch,
): Promise<Reenrolled> {
  return reenrollComputer(db, keychain, input, fetchImpl);
}
