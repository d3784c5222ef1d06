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
import { currentMember } from '../../shared/trust/chain-state';
import { chainStateOf } from './chain-store';
import { confirmMemberKeys } from './member-keys';
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
        userId: dana.id,
        name: 'Dana Reyes',
        why:
          'set new keys with the recovery key; confirm them when their screen (Settings → Clinic ' +
          'server) shows the same numbers',
        fingerprint: expect.stringMatching(/^\d{5}( \d{5}){4}$/),
      },
    ]);

    // Numbers that are not the ones shown change nothing; the ones shown confirm her keys.
    await expect(
      confirmMemberKeys(store, dana.id, '00000 00000 00000 00000 00000'),
    ).rejects.toThrow(/keys changed while you compared/);
    await confirmMemberKeys(store, dana.id, waitingColleagues[0]!.fingerprint!);
    expect((await readTrustStatus(store)).waitingColleagues).toEqual([]);
    expect(currentMember((await chainStateOf(db))!, dana.id)?.keys.signingKey).toBe(
      fresh.signing!.publicKey,
    );
  });
});
