/**
 * A scheduled backup is sealed under the clinic key, opened through a member's keyring row
 * (shared/backup/README.md, version 2). A member whose row is sealed under passphrase + PRF
 * security key (issue 18 deliverable 5) could not open it: the restore tried the passphrase alone,
 * and a one-person clinic's backups were then unopenable. The restore now asks for the key.
 */
import { describe, expect, it } from 'vitest';
import { softwareAuthenticator } from '../../shared/crypto/webauthn.fixtures';
import { addPrfSecurityKey } from './second-factor.fixtures';
import { fromBase64 } from '../../shared/util/bytes';
import { signIn } from './auth';
import { readBackupHeader } from '../../shared/backup/format';
import { createScheduledBackup, restoreBackup } from './backup';
import { clinicWithChart, deleteDatabasesAfterEach, emptyDb } from './backup-test-support';
import { RecordStore } from './record-store';
import { createRecoveryKey, recoverWithKey } from '../sync/recovery';
import { FactorNeededError, type FactorProof, factorPromptFor } from './second-factor';

deleteDatabasesAfterEach();
const ORIGIN = 'http://localhost:4179';

describe('a scheduled backup made by a member with a PRF security key', () => {
  it('restores with her passphrase and her key, and is refused with the passphrase alone, writing nothing', async () => {
    const c = await clinicWithChart();
    const { key } = await addPrfSecurityKey(c, ORIGIN);
    // The only member of this clinic: nobody else's passphrase can open the file.
    const { bytes } = await createScheduledBackup(c.store);

    const target = emptyDb();
    const alone = await restoreBackup(target, bytes, {
      username: 'alex',
      passphrase: c.passphrase,
      origin: ORIGIN,
    }).catch((e: unknown) => e);
    expect(alone).toBeInstanceOf(FactorNeededError);
    const prompt = (alone as FactorNeededError).prompt;
    if (prompt.kind !== 'security-key') throw new Error('a key was expected');
    expect(await target.records.count()).toBe(0);

    const other = await softwareAuthenticator('localhost', ORIGIN);
    const answer = async (k: typeof key, p = prompt): Promise<FactorProof> => ({
      kind: 'security-key',
      assertion: await k.assert(p.challenge),
      prfOutput: await k.prf(fromBase64(p.prfSalt!)),
    });
    await expect(
      restoreBackup(target, bytes, {
        username: 'alex',
        passphrase: c.passphrase,
        proof: await answer(other),
        origin: ORIGIN,
      }),
    ).rejects.toThrow(/not the one you added/);
    expect(await target.records.count()).toBe(0);

    const again = (await restoreBackup(target, bytes, {
      username: 'alex',
      passphrase: c.passphrase,
      origin: ORIGIN,
    }).catch((e: unknown) => e)) as FactorNeededError;
    if (again.prompt.kind !== 'security-key') throw new Error('a key was expected');
    await restoreBackup(target, bytes, {
      username: 'alex',
      passphrase: c.passphrase,
      proof: await answer(key, again.prompt),
      origin: ORIGIN,
    });
    // Restored: she signs in there with passphrase and key, and reads the chart.
    const p = await factorPromptFor(target, 'alex');
    if (p?.kind !== 'security-key') throw new Error('a key was expected');
    const session = await signIn(target, 'alex', c.passphrase, await answer(key, p), ORIGIN);
    const store = new RecordStore(target, session);
    expect((await store.get('note', c.note.id))?.sections).toEqual({
      subjective: 'Felt held by the music',
    });
  });
});

describe('a scheduled backup and the clinic recovery key', () => {
  it('opens with the recovery key where no security key can be used (the desktop app), then Forgot passphrase takes the key off', async () => {
    const c = await clinicWithChart();
    const recoveryKey = await createRecoveryKey(c.store);
    await addPrfSecurityKey(c, ORIGIN);
    const { bytes } = await createScheduledBackup(c.store);

    const target = emptyDb();
    // A mistyped key writes nothing.
    const wrong = recoveryKey.replace(/^..../, 'AAAA');
    await expect(restoreBackup(target, bytes, { recoveryKey: wrong })).rejects.toThrow(
      /recovery key/,
    );
    expect(await target.records.count()).toBe(0);
    await restoreBackup(target, bytes, { recoveryKey });
    const session = await recoverWithKey(target, {
      username: 'alex',
      recoveryKey,
      newPassphrase: 'lantern by the north gate',
    });
    const store = new RecordStore(target, session);
    expect((await store.get('note', c.note.id))?.sections).toEqual({
      subjective: 'Felt held by the music',
    });
  });

  it('a stolen backup whose header is made to name the thief’s own recovery key opens nothing and writes nothing', async () => {
    const c = await clinicWithChart();
    await createRecoveryKey(c.store);
    await addPrfSecurityKey(c, ORIGIN);
    const { bytes } = await createScheduledBackup(c.store);
    // The thief's own clinic, with a recovery key she knows, gives her a recovery holder to paste.
    const thief = await clinicWithChart();
    const thiefKey = await createRecoveryKey(thief.store);
    const theirs = readBackupHeader((await createScheduledBackup(thief.store)).bytes).header;
    const { header, headerText } = readBackupHeader(bytes);
    if (!('protection' in header) || !('protection' in theirs)) throw new Error('keyed backups');
    const forgedText = JSON.stringify({
      ...header,
      protection: { ...header.protection, recovery: theirs.protection.recovery },
    });
    const rest = bytes.subarray(11 + new TextEncoder().encode(headerText).length);
    const forgedHeader = new TextEncoder().encode(forgedText);
    const forged = new Uint8Array(11 + forgedHeader.length + rest.length);
    forged.set(bytes.subarray(0, 11));
    new DataView(forged.buffer).setUint32(7, forgedHeader.length);
    forged.set(forgedHeader, 11);
    forged.set(rest, 11 + forgedHeader.length);
    expect(readBackupHeader(forged).header).toMatchObject({
      protection: { recovery: theirs.protection.recovery },
    });

    const target = emptyDb();
    // The header is the body's additional data, and the clinic key it gives must open the body.
    await expect(restoreBackup(target, forged, { recoveryKey: thiefKey })).rejects.toThrow(
      'That recovery key does not open this backup',
    );
    expect(await target.records.count()).toBe(0);
    expect(await target.keyring.count()).toBe(0);
  });
});
