/**
 * Settings → Clinic server tells an administrator which colleagues wait to be added to the
 * membership record (issue 13): a colleague whose keys on this computer are not the ones the
 * chain names (new keys set with the recovery key) is listed by name, and counted.
 */
import { describe, expect, it } from 'vitest';
import { generateIdentity, memberKeysOf } from '../../shared/crypto/keyring';
import { addUser } from '../db/auth';
import { freshClinic } from '../db/test-support';
import type { UserKeys } from '../sync/clinic-keys';
import { readTrustStatus } from './status';

describe('colleagues waiting to be added', () => {
  it('an administrator sees a colleague whose new keys the membership record does not name yet', async () => {
    const { db, store } = await freshClinic();
    const dana = await addUser(store, {
      displayName: 'Dana Reyes',
      username: 'dana',
      roles: ['therapist'],
      passphrase: 'dana walks the pier at dawn',
    });
    expect((await readTrustStatus(store)).waitingColleagues).toEqual([]);

    // Dana recovered her passphrase on another computer: her row now carries a new identity.
    const row = (await db.keyring.get(dana.id)) as UserKeys;
    const fresh = await generateIdentity();
    expect(memberKeysOf(row.identity)).toBeDefined();
    await db.keyring.put({
      ...row,
      identity: {
        ...row.identity!,
        signing: { ...row.identity!.signing!, publicKey: fresh.signing!.publicKey },
      },
    } as never);

    const { waitingColleagues } = await readTrustStatus(store);
    expect(waitingColleagues).toEqual([
      {
        name: 'Dana Reyes',
        why: 'set new keys with the recovery key; they wait for an administrator’s confirmation',
      },
    ]);
  });
});
