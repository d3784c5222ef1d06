import { describe, expect, it } from 'vitest';
import { exportAesKey, generateDataKey } from '../../shared/crypto/envelope';
import {
  generateIdentity,
  openGrant,
  openIdentity,
  sealIdentity,
} from '../../shared/crypto/keyring';
import { deriveKek } from '../../shared/crypto/passphrase';
import { toHex } from '../../shared/util/bytes';
import { addUser, signIn } from '../db/auth';
import { RecordStore } from '../db/record-store';
import { freshClinic } from '../db/test-support';
import { type UserKeys, openHolder, removeUser, rotateClinicKey } from './clinic-keys';
import { createRecoveryKey, readKeyStatus, recoverWithKey } from './recovery';
import { writeSyncConfig } from '../db/sync-state';
import { memoryKeychain, newDeviceKeys, saveDeviceSecrets } from './device-credentials';
import { removeUserEverywhere } from './device-revocation';

const BOB = 'bob passphrase long enough';
const CAROL = 'carol passphrase long enough';
const hex = async (k: CryptoKey | undefined) => (k ? toHex(await exportAesKey(k)) : undefined);

async function clinicWithColleagues() {
  const c = await freshClinic();
  const roles = ['therapist'] as const;
  const bob = await addUser(c.store, {
    displayName: 'Bob B',
    username: 'bob',
    roles: [...roles],
    passphrase: BOB,
  });
  const carol = await addUser(c.store, {
    displayName: 'Carol C',
    username: 'carol',
    roles: [...roles],
    passphrase: CAROL,
  });
  return { ...c, bob, carol };
}

const row = async (c: { db: RecordStore['db'] }, userId: string) =>
  (await c.db.keyring.get(userId)) as UserKeys | undefined;

describe('clinic key rotation', () => {
  it('a removed user’s wraps cannot open the new version; remaining users get it', async () => {
    const c = await clinicWithColleagues();
    const carolBefore = (await row(c, c.carol.id))!;
    expect(carolBefore.identity).toBeDefined();
    const result = await removeUser(c.store, c.carol.id);
    expect(result).toEqual({ version: 2, waiting: [] });
    expect(c.session.keyring!.activeVersion).toBe(2);
    expect(await row(c, c.carol.id)).toBeUndefined();

    // Bob signs in and holds both versions; the new one is the same key the admin made.
    const bobSession = await signIn(c.db, 'bob', BOB);
    expect(bobSession.keyring!.activeVersion).toBe(2);
    expect(await hex(bobSession.keyring!.keyFor(2))).toBe(await hex(c.session.keyring!.keyFor(2)));
    expect(await hex(bobSession.dataKey)).toBe(await hex(c.session.dataKey));

    // Carol's old row (all she ever knew) opens version 1 only.
    const kek = await deriveKek(CAROL, carolBefore.kdf);
    const carolKeys = await openHolder(carolBefore, kek, c.carol.id, '2026-01-01T00:00:00.000Z');
    expect(carolKeys.keyring.has(1)).toBe(true);
    expect(carolKeys.keyring.has(2)).toBe(false);
    // Even with Bob's grant of version 2 in hand, her identity cannot open it.
    const bobGrant = (await row(c, c.bob.id))!.grants!.find((g) => g.version === 2)!;
    const carolIdentity = await openIdentity(carolBefore.identity!, kek, c.carol.id);
    await expect(openGrant(bobGrant, carolIdentity, c.bob.id)).rejects.toThrow(
      /could not be opened/,
    );
    await expect(openGrant(bobGrant, carolIdentity, c.carol.id)).rejects.toThrow(
      /could not be opened/,
    );
    // And she can no longer sign in.
    await expect(signIn(c.db, 'carol', CAROL)).rejects.toThrow(/do not match/);
    // The change is in the audit log, by whom (the administrator).
    const rotated = await c.db.audit.where('action').equals('key-rotated').toArray();
    expect(rotated.map((e) => e.userId)).toEqual([c.session.user.id]);
  }, 60_000);

  it('keys go to the identity the membership chain names, whatever a row says', async () => {
    const c = await clinicWithColleagues();
    const legacy = (await row(c, c.bob.id))!;
    const { identity: _i, grants: _g, ...stripped } = legacy;
    await c.db.keyring.put(stripped);
    // Bob's row lost its identity (as a server could make it look): the chain still names his
    // keys, so the new version is sealed to them and his real identity opens it.
    expect(await rotateClinicKey(c.store, 'device-revoked')).toEqual({ version: 2, waiting: [] });
    await c.db.keyring.put({ ...legacy, grants: (await row(c, c.bob.id))!.grants } as UserKeys);
    const bob = await signIn(c.db, 'bob', BOB);
    expect(bob.keyring!.activeVersion).toBe(2);
    const status = await readKeyStatus(new RecordStore(c.db, bob));
    expect(status.waiting).toEqual([]);
    expect(status.versions.map((v) => [v.version, v.status, v.reason])).toEqual([
      [2, 'active', 'device-revoked'],
      [1, 'retired', 'clinic-created'],
    ]);
  }, 60_000);
});

describe('identities the chain does not name', () => {
  it('an identity swapped into a row (as a hostile server could) receives no key', async () => {
    const c = await clinicWithColleagues();
    const bob = (await row(c, c.bob.id))!;
    // The server's own key pair, sealed under a key it knows, with no valid endorsement.
    const forged = await sealIdentity(
      await generateIdentity(),
      await generateDataKey(false),
      c.bob.id,
    );
    const swapped: UserKeys = {
      ...bob,
      identity: { ...forged, endorsement: bob.identity!.endorsement },
    };
    await c.db.keyring.put(swapped);
    const r = await rotateClinicKey(c.store, 'manual');
    expect(r.waiting).toEqual([]);
    // Version 2 was sealed to the key the chain names for Bob, not to the one in the row.
    const v2 = (await row(c, c.bob.id))!.grants!.find((g) => g.version === 2)!;
    expect(v2.to).toBe(bob.identity!.publicKey);
    expect(v2.to).not.toBe(forged.publicKey);
  }, 60_000);
});

describe('key changes on a connected computer', () => {
  it('are refused while the clinic server cannot be reached, and nothing changes', async () => {
    const c = await clinicWithColleagues();
    const keychain = memoryKeychain();
    await saveDeviceSecrets(keychain, 'token', (await newDeviceKeys()).pair.privateKey);
    // Port 8809 is kept free for this helper's tests: nothing listens there.
    await writeSyncConfig(c.db, {
      serverUrl: 'http://127.0.0.1:8809',
      clinicId: c.session.clinicId,
      deviceId: '0190d9a0-0000-7000-8000-000000000001',
      admin: true,
    });
    const before = await c.db.keyring.toArray();
    await expect(removeUserEverywhere(c.store, c.carol.id, keychain)).rejects.toThrow(
      /needs the clinic server.*cannot be reached.*Nothing was changed/s,
    );
    expect(c.session.keyring!.activeVersion).toBe(1);
    expect(await c.db.keyring.toArray()).toEqual(before);
    expect((await c.store.get('user', c.carol.id))?.active).toBe(true);
  }, 60_000);
});

describe('recovery key', () => {
  it('round trip: forgotten passphrase → new passphrase → every version and record readable', async () => {
    const c = await clinicWithColleagues();
    const printed = await createRecoveryKey(c.store);
    await removeUser(c.store, c.carol.id); // the recovery key receives version 2 as well
    const patient = await c.store.create('patient', {
      firstName: 'Dana',
      lastName: 'Rivera',
      dateOfBirth: '1980-02-03',
      sexAtBirth: 'female',
      active: true,
    });
    const session = await recoverWithKey(c.db, {
      username: 'bob',
      recoveryKey: printed.toLowerCase().replace(/-/g, ' '),
      newPassphrase: 'a brand new passphrase for bob',
    });
    expect(session.user.username).toBe('bob');
    expect(session.keyring!.activeVersion).toBe(2);
    expect(session.keyring!.has(1)).toBe(true);
    const read = await new RecordStore(c.db, session).get('patient', patient.id);
    expect(read?.id).toBe(patient.id);
    await expect(signIn(c.db, 'bob', BOB)).rejects.toThrow(/do not match/);
    expect((await signIn(c.db, 'bob', 'a brand new passphrase for bob')).user.id).toBe(c.bob.id);
    const actions = (await c.db.audit.toArray()).map((e) => [e.action, e.userId]);
    expect(actions).toContainEqual(['recovery-key-created', c.session.user.id]);
    expect(actions).toContainEqual(['passphrase-recovered', c.bob.id]);
  }, 60_000);

  it('a wrong or mistyped recovery key says so and changes nothing', async () => {
    const c = await clinicWithColleagues();
    const printed = await createRecoveryKey(c.store);
    const before = await row(c, c.bob.id);
    const other = await freshClinic();
    const foreign = await createRecoveryKey(other.store);
    const attempt = (recoveryKey: string, username = 'bob') =>
      recoverWithKey(c.db, {
        username,
        recoveryKey,
        newPassphrase: 'a brand new passphrase for bob',
      });
    await expect(attempt(foreign)).rejects.toThrow(
      /does not open this clinic’s keys.*Nothing was changed/,
    );
    const typo = (printed[0] === 'A' ? 'B' : 'A') + printed.slice(1);
    await expect(attempt(typo)).rejects.toThrow(/typo.*Nothing was changed/);
    await expect(attempt(printed, 'nobody')).rejects.toThrow(/no user “nobody”/);
    expect(await row(c, c.bob.id)).toEqual(before);
    expect((await signIn(c.db, 'bob', BOB)).user.id).toBe(c.bob.id);
  }, 60_000);

  it('a recovery key made again replaces the old one', async () => {
    const c = await clinicWithColleagues();
    const first = await createRecoveryKey(c.store);
    const second = await createRecoveryKey(c.store);
    await expect(
      recoverWithKey(c.db, {
        username: 'bob',
        recoveryKey: first,
        newPassphrase: 'another long passphrase',
      }),
    ).rejects.toThrow(/older sheet/);
    const s = await recoverWithKey(c.db, {
      username: 'bob',
      recoveryKey: second,
      newPassphrase: 'another long passphrase',
    });
    expect(s.user.id).toBe(c.bob.id);
  }, 60_000);
});
