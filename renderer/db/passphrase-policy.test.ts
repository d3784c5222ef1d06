/**
 * Issue 13 point 7 and issue 18 finding 5: a common or guessable passphrase is refused wherever
 * one is chosen (the founding administrator, a new user, a backup), and nothing is written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addUser, createClinic, readClinic } from './auth';
import { createBackup } from './backup';
import { KatDatabase } from './database';
import { freshClinic } from './test-support';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

describe('guessable passphrases are refused', () => {
  it('for the founding administrator, and no clinic is made', async () => {
    const db = new KatDatabase(`weak-${Date.now()}`);
    opened.push(db);
    await expect(
      createClinic(db, {
        clinicName: 'Harbor Ketamine Clinic',
        admin: {
          displayName: 'Alex Admin',
          username: 'alex',
          passphrase: 'password1234',
          roles: ['administrator'],
        },
      }),
    ).rejects.toThrow(/^This passphrase is too easy to guess\. .*commonly used password/);
    expect(await readClinic(db)).toBeUndefined();
  });

  it('for a new user, including one made of their own name', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const add = (passphrase: string) =>
      addUser(c.store, {
        displayName: 'Theodora Quillfeather',
        username: 'tquillfeather',
        roles: ['therapist'],
        passphrase,
      });
    await expect(add('qwertyuiop123')).rejects.toMatchObject({ code: 'passphrase.weak' });
    await expect(add('Quillfeather2026')).rejects.toMatchObject({ code: 'passphrase.weak' });
    expect(await c.db.keyring.where('username').equals('tquillfeather').count()).toBe(0);
    await expect(add('paper lanterns float over the bay')).resolves.toMatchObject({
      username: 'tquillfeather',
    });
  });

  it('for a backup, before anything is exported', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const exportsBefore = await c.db.audit.where('action').equals('export').count();
    await expect(createBackup(c.store, 'iloveyou1234')).rejects.toMatchObject({
      code: 'passphrase.weak',
    });
    expect(await c.db.audit.where('action').equals('export').count()).toBe(exportsBefore);
  });
});
