/**
 * Issue 13 point 5 across computers, through a real server: Sam keeps an old session (every key
 * version he held) and is removed on computer A. Computer B receives the new version at its next
 * sync round; from then on B stores what it receives and writes under it, and once B's background
 * re-seal is done, nothing on B's disk — records, the draft bases sync keeps, form drafts — opens
 * with Sam's keys. The same on A. Dana keeps reading everything on B throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, signIn } from '../../renderer/db/auth';
import { diskOf, keysOf, openedBy } from '../../renderer/db/at-rest-test-support';
import { KatDatabase } from '../../renderer/db/database';
import { RecordStore } from '../../renderer/db/record-store';
import { readReseal, resealAtRest } from '../../renderer/db/reseal';
import { readSyncConfig } from '../../renderer/db/sync-state';
import { freshClinic } from '../../renderer/db/test-support';
import { removeUser } from '../../renderer/sync/clinic-keys';
import { connectFirstDevice, createEnrollmentCode, joinClinic } from '../../renderer/sync/connect';
import { loadDeviceSecrets, memoryKeychain } from '../../renderer/sync/device-credentials';
import { keyringInputs, refreshKeys } from '../../renderer/sync/key-refresh';
import { ServerClient } from '../../renderer/sync/server-client';
import { SyncEngine } from '../../renderer/sync/sync-engine';
import { confirmJoinOn, setupTokenFor, startServer } from './harness';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

type Computer = {
  db: KatDatabase;
  store: RecordStore;
  keychain: ReturnType<typeof memoryKeychain>;
};

/** One round the way the app runs it: key blobs first, then the engine with the keyring. */
async function round(c: Computer) {
  const secrets = (await loadDeviceSecrets(c.keychain))!;
  const config = (await readSyncConfig(c.db))!;
  await refreshKeys(c.store, new ServerClient(config.serverUrl, secrets.token));
  return new SyncEngine({
    db: c.db,
    context: c.store.session,
    config,
    secrets,
    ...keyringInputs(c.store.session.keyring),
  }).syncOnce();
}

const patient = (lastName: string) =>
  ({
    firstName: 'Noor',
    lastName,
    dateOfBirth: '1990-02-03',
    sexAtBirth: 'female',
    active: true,
  }) as const;

describe('a removed user and a computer that received the rotation', () => {
  it('opens nothing on its disk once it re-sealed; what arrives after is under the new version at once', async () => {
    const a0 = await freshClinic();
    const aKeys = memoryKeychain();
    await connectFirstDevice(a0.db, aKeys, a0.session, {
      serverUrl: server.url,
      setupToken: await setupTokenFor(server.url),
    });
    const a: Computer = { db: a0.db, store: a0.store, keychain: aKeys };
    for (const [username, displayName] of [
      ['dana', 'Dana Reyes'],
      ['sam', 'Sam Lee'],
    ] as const)
      await addUser(a.store, {
        displayName,
        username,
        roles: ['therapist'],
        passphrase: `${username} first passphrase`,
      });
    const before = await a.store.create('patient', patient('Before'));
    const draft = await a.store.create('note', {
      patientId: before.id,
      templateId: 'soap',
      title: 'Follow-up',
      sections: { subjective: 'Before Sam left' },
      timeline: [],
    });
    await round(a);

    const bDb = new KatDatabase(`reseal-b-${Date.now()}`);
    const bKeys = memoryKeychain();
    const { code } = await createEnrollmentCode(a.db, (await loadDeviceSecrets(aKeys))!.token);
    await joinClinic(
      bDb,
      bKeys,
      { serverUrl: server.url, code, username: 'dana', passphrase: 'dana first passphrase' },
      undefined,
      confirmJoinOn(a, 'dana'),
    );
    const danaSession = await signIn(bDb, 'dana', 'dana first passphrase');
    const b: Computer = { db: bDb, store: new RecordStore(bDb, danaSession), keychain: bKeys };
    await round(b);
    expect((await b.store.get('note', draft.id))?.sections).toEqual({
      subjective: 'Before Sam left',
    });

    // Dana starts a note on B, synced under version 1.
    const danasNote = await b.store.create('note', {
      patientId: before.id,
      templateId: 'soap',
      title: 'Dana, before',
      sections: { subjective: 'First words' },
      timeline: [],
    });
    await round(b);

    // Sam's session, kept after he leaves: version 1.
    const samOld = await signIn(a.db, 'sam', 'sam first passphrase');
    const samKeys = keysOf(samOld.keyring!);
    const sam = (await a.store.listKind('user')).find((u) => u.username === 'sam')!;
    await removeUser(a.store, sam.id);
    const removedAt = new Date().toISOString();
    const after = await a.store.create('patient', patient('After'));
    await a.store.update('note', draft.id, () => ({ sections: { subjective: 'After Sam left' } }));
    await round(a);

    // Dana edits her note on B before B has heard of version 2 (stored under version 1).
    await b.store.update('note', danasNote.id, () => ({
      sections: { subjective: 'Second words' },
    }));
    expect((await b.db.records.get(danasNote.id))?.keyVersion).toBe(1);
    // B's round opens version 2; what it stores from then on is under it, before any re-seal,
    // the base it keeps of the edit it pushes included.
    await round(b);
    expect((await b.db.syncSeen.get(danasNote.id))?.base?.row?.keyVersion).toBe(2);
    expect(b.store.session.keyVersion).toBe(2);
    expect((await b.db.records.get(after.id))?.keyVersion).toBe(2);
    expect((await b.db.records.get(draft.id))?.keyVersion).toBe(2);
    const own = await b.store.create('patient', patient('Written on B after'));
    expect((await b.db.records.get(own.id))?.keyVersion).toBe(2);

    for (const c of [a, b]) {
      expect((await resealAtRest(c.db, c.store.session, { batchSize: 7 })).step).toBe('done');
      const disk = await diskOf(c.db);
      expect(disk.records.every((r) => r.keyVersion === 2)).toBe(true);
      expect(await openedBy(samKeys, a0.session.clinicId, disk, removedAt)).toEqual({
        records: 0,
        drafts: 0,
        audit: 0,
        seen: 0,
      });
    }
    // B keeps the draft's base for merging, now under version 2 too.
    const seen = (await diskOf(b.db)).seen!.filter((s) => s.base?.row);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.base!.row!.keyVersion === 2)).toBe(true);
    expect((await readReseal(b.db))?.target).toBe(2);

    // Dana signs in on B again and reads all of it; sync still merges her edit with A's.
    const again = new RecordStore(b.db, await signIn(b.db, 'dana', 'dana first passphrase'));
    expect((await again.get('patient', before.id))?.lastName).toBe('Before');
    expect((await again.get('note', draft.id))?.sections).toEqual({
      subjective: 'After Sam left',
    });
    await again.update('note', draft.id, () => ({ title: 'Follow-up, edited on B' }));
    await round({ ...b, store: again });
    await round(a);
    expect(await a.store.get('note', draft.id)).toMatchObject({
      title: 'Follow-up, edited on B',
      sections: { subjective: 'After Sam left' },
    });
    for (const db of [a.db, b.db]) await db.delete();
  }, 180_000);
});
