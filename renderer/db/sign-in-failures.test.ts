import { afterEach, describe, expect, it } from 'vitest';
import { signIn } from './auth';
import { clinicWithManager } from './break-glass.fixtures';
import type { KatDatabase } from './database';
import { repeatedSignInFailures } from './sign-in-failures';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

describe('repeated failed sign-ins (issue 18 point 6)', () => {
  it('are told to administrators from the audit log, and to no one else', async () => {
    const { db, store, manager } = await clinicWithManager(opened);
    for (let i = 0; i < 2; i++)
      await expect(signIn(db, 'jordn', 'not the passphrase')).rejects.toThrow(/do not match/);
    expect(await repeatedSignInFailures(store)).toEqual([]);
    await expect(signIn(db, 'jordn', 'not the passphrase')).rejects.toThrow(/do not match/);
    expect(await repeatedSignInFailures(store)).toMatchObject([
      { userName: 'A user name not in this clinic', count: 3, devices: 1 },
    ]);
    expect(await repeatedSignInFailures(manager)).toEqual([]);
    // A day later the notice is gone; the events stay in the log.
    const tomorrow = new Date(Date.now() + 25 * 3_600_000);
    expect(await repeatedSignInFailures(store, tomorrow)).toEqual([]);
  });
});
