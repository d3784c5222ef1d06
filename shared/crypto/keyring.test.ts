import { describe, expect, it } from 'vitest';
import { TamperedError, exportAesKey, generateDataKey } from './envelope';
import {
  ClinicKeyring,
  KeyGrantError,
  generateIdentity,
  grantKey,
  openGrant,
  openIdentity,
  sealIdentity,
} from './keyring';
import {
  RecoveryKeyFormatError,
  newRecoveryKey,
  parseRecoveryKey,
  recoveryKek,
} from './keyring-recovery';
import { toHex } from '../util/bytes';

const v2 = { version: 2, createdAt: '2026-11-22T01:00:00.000Z', reason: 'user-removed' } as const;
const hex = async (k: CryptoKey) => toHex(await exportAesKey(k));

describe('identities and grants', () => {
  it('a grant opens only with the recipient’s private key', async () => {
    const alice = await generateIdentity();
    const mallory = await generateIdentity();
    const sealedAlice = await sealIdentity(alice, await generateDataKey(false), 'alice');
    const key = await generateDataKey();
    const grant = await grantKey(key, v2, sealedAlice.publicKey, 'alice');
    expect(await hex(await openGrant(grant, alice, 'alice'))).toBe(await hex(key));
    await expect(openGrant(grant, mallory, 'alice')).rejects.toBeInstanceOf(KeyGrantError);
    // moved to another holder or relabelled as another version: refused
    await expect(openGrant(grant, alice, 'bob')).rejects.toBeInstanceOf(KeyGrantError);
    await expect(openGrant({ ...grant, version: 3 }, alice, 'alice')).rejects.toBeInstanceOf(
      KeyGrantError,
    );
    await expect(openGrant({ ...grant, reason: 'manual' }, alice, 'alice')).rejects.toBeInstanceOf(
      KeyGrantError,
    );
  });

  it('a sealed identity opens only with its own key-encryption key and owner', async () => {
    const id = await generateIdentity();
    const kek = await generateDataKey(false);
    const sealed = await sealIdentity(id, kek, 'u1');
    const opened = await openIdentity(sealed, kek, 'u1');
    const key = await generateDataKey();
    const grant = await grantKey(key, v2, sealed.publicKey, 'u1');
    expect(await hex(await openGrant(grant, opened, 'u1'))).toBe(await hex(key));
    await expect(openIdentity(sealed, await generateDataKey(false), 'u1')).rejects.toBeInstanceOf(
      TamperedError,
    );
    await expect(openIdentity(sealed, kek, 'u2')).rejects.toBeInstanceOf(TamperedError);
  });

  it('the keyring says which version is active and keeps old ones readable', async () => {
    const ring = new ClinicKeyring();
    const k1 = await generateDataKey();
    const k2 = await generateDataKey();
    ring.add(k1, { version: 1, createdAt: '2026-01-01T00:00:00.000Z', reason: 'clinic-created' });
    ring.add(k2, v2);
    expect(ring.activeVersion).toBe(2);
    expect(ring.activeKey).toBe(k2);
    expect(ring.keyFor(1)).toBe(k1);
    expect(ring.keyFor(3)).toBeUndefined();
    expect(ring.versions().map((v) => [v.version, v.status])).toEqual([
      [2, 'active'],
      [1, 'retired'],
    ]);
  });
});

describe('recovery key', () => {
  it('prints as nine groups of four and reads back forgivingly', async () => {
    const printed = await newRecoveryKey();
    expect(printed).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){8}[0-9A-HJKMNP-TV-Z]{4}$/);
    const bytes = await parseRecoveryKey(printed);
    expect(bytes).toHaveLength(20);
    const sloppy = ` ${printed.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l')} `;
    expect(toHex(await parseRecoveryKey(sloppy))).toBe(toHex(bytes));
    expect(await newRecoveryKey()).not.toBe(printed);
  });

  it('names a typo, a short key and a foreign character in plain words', async () => {
    const printed = await newRecoveryKey();
    const chars = printed.replace(/-/g, '');
    const swapped = (chars[0] === 'A' ? 'B' : 'A') + chars.slice(1);
    await expect(parseRecoveryKey(swapped)).rejects.toThrow(/typo/);
    await expect(parseRecoveryKey(chars.slice(4))).rejects.toThrow(/you typed 32/);
    await expect(parseRecoveryKey(`${chars.slice(1)}U`)).rejects.toBeInstanceOf(
      RecoveryKeyFormatError,
    );
  });

  it('derives a different key-encryption key per clinic', async () => {
    const bytes = await parseRecoveryKey(await newRecoveryKey());
    const id = await generateIdentity();
    const sealed = await sealIdentity(id, await recoveryKek(bytes, 'clinic-a'), 'recovery');
    await openIdentity(sealed, await recoveryKek(bytes, 'clinic-a'), 'recovery');
    await expect(
      openIdentity(sealed, await recoveryKek(bytes, 'clinic-b'), 'recovery'),
    ).rejects.toBeInstanceOf(TamperedError);
  });
});
