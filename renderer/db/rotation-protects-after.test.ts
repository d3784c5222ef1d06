/**
 * THREATS.md, "a removed employee with an old laptop": they keep an old session object (every
 * clinic key version they once held) and later get hold of this computer's disk or a backup file.
 * After their removal (a new clinic key version), nothing sealed afterwards may open with what
 * they hold: not a scheduled backup, not a manual one (even if they know its backup passphrase),
 * not the records, form drafts or audit details at rest once the background re-seal is done.
 * Issue 13, point 5 and finding 4.
 */
import { describe, expect, it } from 'vitest';
import { decodeBackup, decodeKeyedBackup, readBackupHeader } from '../../shared/backup/format';
import { addUser, signIn } from './auth';
import { verifyAuditChain } from './audit-chain';
import { auditMacKeysFor } from './audit-key';
import { type AtRest, diskOf, keysOf, openedBy } from './at-rest-test-support';
import { createBackup, createScheduledBackup, restoreBackup } from './backup';
import { clinicWithChart, deleteDatabasesAfterEach, emptyDb } from './backup-test-support';
import { KatDatabase } from './database';
import { encryptText } from './record-crypto';
import { RecordStore } from './record-store';
import { readReseal, resealAtRest } from './reseal';
import type { Session } from './session';
import { removeUser } from '../sync/clinic-keys';

deleteDatabasesAfterEach();

const SAM_PASS = 'sam keeps this passphrase';
/** The backup passphrase of a manual backup: assume the person who left knew it. */
const BACKUP_PASS = 'offsite copy kept in the safe';

/** A form draft as the form hooks keep it (renderer/app/use-form-draft.ts). */
async function keepFormDraft(db: KatDatabase, session: Session, key: string, values: unknown) {
  const draftKey = `${session.user.id}:${key}`;
  const blob = await encryptText(
    JSON.stringify(values),
    session.dataKey,
    session.keyVersion,
    `kat:draft:v1|${session.clinicId}|${draftKey}`,
  );
  await db.drafts.put({ key: draftKey, userId: session.user.id, savedAt: 'now', ...blob });
}

/**
 * A clinic where Sam (a therapist) worked, kept his signed-in session, and was removed; then the
 * clinic went on: a new patient, an edited draft note, a reason in the audit log, a form draft.
 */
async function clinicAfterSamLeft() {
  const c = await clinicWithChart();
  const sam = await addUser(c.store, {
    displayName: 'Sam Lee',
    username: 'sam',
    roles: ['therapist'],
    passphrase: SAM_PASS,
  });
  const draft = await c.store.create('note', {
    patientId: c.maya.id,
    templateId: 'soap',
    title: 'Follow-up',
    sections: { subjective: 'Before Sam left' },
    timeline: [],
  });
  await keepFormDraft(c.db, c.session, 'patient-new', { lastName: 'Typed before' });
  await c.store.audit('print', { patientId: c.maya.id, detail: 'Consent packet, before' });
  const samOld = await signIn(c.db, 'sam', SAM_PASS);
  expect(samOld.keyring!.activeVersion).toBe(1);

  const rotation = await removeUser(c.store, sam.id);
  expect(rotation.version).toBe(2);
  const removedAt = new Date().toISOString();
  const after = await c.store.create('patient', {
    firstName: 'Noor',
    lastName: 'Haddad',
    dateOfBirth: '1990-02-03',
    sexAtBirth: 'female',
    active: true,
  });
  await c.store.update('note', draft.id, () => ({ sections: { subjective: 'After Sam left' } }));
  await c.store.markEnteredInError('note', c.note.id, 'Charted on the wrong patient');
  await keepFormDraft(c.db, c.session, 'patient-new', { lastName: 'Typed after' });
  return { ...c, sam, samOld, removedAt, after, draft };
}

const samOpens = (
  c: Awaited<ReturnType<typeof clinicAfterSamLeft>>,
  rest: AtRest,
  since?: string,
) => openedBy(keysOf(c.samOld.keyring!), c.session.clinicId, rest, since);

describe('a removed user holding the key versions they once had', () => {
  it('opens nothing of a scheduled backup made after their removal', async () => {
    const c = await clinicAfterSamLeft();
    const { bytes } = await createScheduledBackup(c.store);
    const { header } = readBackupHeader(bytes);
    if (header.version !== 2) throw new Error('a scheduled backup is keyed');
    // Sealed under a version Sam never held, and his keyring entry is not in the header.
    expect(c.samOld.keyring!.has(header.protection.keyVersion)).toBe(false);
    expect(header.protection.holders.map((h) => h.userId)).not.toContain(c.sam.id);
    // Sam tries each version he had as the file's key, then his own name and passphrase.
    for (const { key } of c.samOld.keyring!.entries())
      await expect(decodeKeyedBackup(bytes, async () => key)).rejects.toThrow();
    await expect(
      restoreBackup(emptyDb(), bytes, { username: 'sam', passphrase: SAM_PASS }),
    ).rejects.toThrow(/do not open this backup/);
    // And inside it (as Alex opens it), every sealed row is under the new version.
    const { tables } = await decodeKeyedBackup(bytes, async () =>
      c.session.keyring!.keyFor(header.protection.keyVersion)!,
    );
    expect(await samOpens(c, tables, c.removedAt)).toEqual({
      records: 0,
      drafts: 0,
      audit: 0,
      seen: 0,
    });
  });

  it('opens nothing in a manual backup made after their removal, even knowing its passphrase', async () => {
    const c = await clinicAfterSamLeft();
    // Made at once, before the background re-seal has run at all.
    const { bytes } = await createBackup(c.store, BACKUP_PASS);
    const { tables } = await decodeBackup(bytes, BACKUP_PASS);
    expect(tables.records.length).toBeGreaterThan(5);
    expect(await samOpens(c, tables, c.removedAt)).toEqual({
      records: 0,
      drafts: 0,
      audit: 0,
      seen: 0,
    });
    expect(tables.keyring.map((k) => k.userId)).not.toContain(c.sam.id);
  });

  it('opens nothing at rest on this computer once the re-seal has finished', async () => {
    const c = await clinicAfterSamLeft();
    // New writes are sealed under the new version at once, before any re-seal.
    const [afterRow] = await c.db.records.bulkGet([c.after.id]);
    expect((await samOpens(c, { records: [afterRow!], drafts: [], audit: [] })).records).toBe(0);

    await resealAtRest(c.db, c.session);
    const disk = await diskOf(c.db);
    expect(await samOpens(c, disk, c.removedAt)).toEqual({
      records: 0,
      drafts: 0,
      audit: 0,
      seen: 0,
    });
    // Audit details written before the removal stay as they were: each event's hash (and its
    // device's chain, held by other computers too) covers the ciphertext. Sam saw those then.
    expect((await samOpens(c, disk)).audit).toBe(1);
    expect((await verifyAuditChain(c.db, await auditMacKeysFor(c.session))).ok).toBe(true);
    expect((await readReseal(c.db))?.step).toBe('done');
    expect((await c.db.meta.get('keyVersion'))?.value).toBe(2);
    // Everyone who remains reads everything, their own draft of a form included.
    const again = await signIn(c.db, 'alex', c.passphrase);
    const store = new RecordStore(c.db, again);
    expect((await store.get('note', c.draft.id))?.sections).toEqual({
      subjective: 'After Sam left',
    });
    expect((await store.get('patient', c.maya.id))?.lastName).toBe('Okafor');
    expect(await store.listKind('patient')).toHaveLength(2);
  });
});

describe('backups from before a rotation', () => {
  it('still restore, and the restored computer reads them', async () => {
    const c = await clinicWithChart();
    await addUser(c.store, {
      displayName: 'Sam Lee',
      username: 'sam',
      roles: ['therapist'],
      passphrase: SAM_PASS,
    });
    const manual = await createBackup(c.store, BACKUP_PASS);
    const scheduled = await createScheduledBackup(c.store);
    const sam = (await c.store.listKind('user')).find((u) => u.username === 'sam')!;
    await removeUser(c.store, sam.id);
    for (const [file, secret] of [
      [manual.bytes, BACKUP_PASS],
      [scheduled.bytes, { username: 'alex', passphrase: c.passphrase }],
    ] as const) {
      const target = emptyDb();
      await restoreBackup(target, file, secret);
      const session = await signIn(target, 'alex', c.passphrase);
      expect(session.keyVersion).toBe(1);
      const store = new RecordStore(target, session);
      expect((await store.get('note', c.note.id))?.sections).toEqual({
        subjective: 'Felt held by the music',
      });
    }
  });
});

describe('re-sealing records at rest', () => {
  it('a lock in the middle loses nothing; signing in again resumes where it stopped', async () => {
    const c = await clinicAfterSamLeft();
    const plain = async (session: Session) => {
      const store = new RecordStore(c.db, session);
      const kinds = [...new Set((await c.db.records.toArray()).map((r) => r.kind))];
      const all = (await Promise.all(kinds.map((k) => store.listKind(k)))).flat();
      return all.sort((a, b) => (a.id < b.id ? -1 : 1));
    };
    const before = await plain(c.session);
    const old = (await c.db.records.toArray()).filter((r) => r.keyVersion === 1).length;
    expect(old).toBeGreaterThan(10);

    // Locked after two batches of five: the loop stops between batches.
    const lock = new AbortController();
    let batches = 0;
    await resealAtRest(c.db, c.session, {
      batchSize: 5,
      signal: lock.signal,
      onProgress: () => {
        if (++batches === 2) lock.abort();
      },
    });
    const paused = await readReseal(c.db);
    expect(paused?.step).toBe('records');
    const firstTen = (await c.db.records.orderBy('id').limit(10).toArray()).length;
    expect(paused?.seen).toBe(firstTen);
    expect(paused?.moved).toBeGreaterThan(0);
    const versions = (await c.db.records.toArray()).map((r) => r.keyVersion);
    expect(versions).toContain(1);
    expect(versions).toContain(2);

    // Signed in again: every record reads, whatever version it is under right now.
    const next = await signIn(c.db, 'alex', c.passphrase);
    expect(await plain(next)).toEqual(before);
    const seenAt: number[] = [];
    const resumed = await resealAtRest(c.db, next, {
      batchSize: 5,
      onProgress: (s) => seenAt.push(s.seen),
    });
    expect(resumed.step).toBe('done');
    // Resumed, not restarted: its first batch starts after the ten rows of before the lock.
    expect(seenAt[0]).toBe(paused!.seen + 5);
    expect(resumed.moved).toBe(old);
    expect((await c.db.records.toArray()).every((r) => r.keyVersion === 2)).toBe(true);
    expect((await c.db.drafts.toArray()).every((r) => r.keyVersion === 2)).toBe(true);
    expect(await plain(next)).toEqual(before);
  });

  it('a crash inside a batch writes none of it, and the next run finishes', async () => {
    const c = await clinicAfterSamLeft();
    const rows = await c.db.records.toArray();
    // The batch's last write (its place in the table) fails: the whole batch must roll back.
    const put = c.db.meta.put.bind(c.db.meta);
    let armed = true;
    c.db.meta.put = ((row: { key: string }) => {
      if (
        armed &&
        row.key === 'reseal' &&
        (row as unknown as { value: { moved: number } }).value.moved > 0
      ) {
        armed = false;
        throw new Error('power cut');
      }
      return put(row as never);
    }) as typeof c.db.meta.put;
    await expect(resealAtRest(c.db, c.session, { batchSize: 4 })).rejects.toThrow(/power cut/);
    expect(await c.db.records.toArray()).toEqual(rows);
    c.db.meta.put = put;
    expect((await resealAtRest(c.db, c.session, { batchSize: 4 })).step).toBe('done');
    expect((await c.db.records.toArray()).every((r) => r.keyVersion === 2)).toBe(true);
  });

  it('a row damaged on disk is left exactly as found and counted; the rest moves', async () => {
    const c = await clinicAfterSamLeft();
    const victim = (await c.db.records.toArray()).find((r) => r.keyVersion === 1)!;
    const ct = victim.ct.slice();
    ct[3]! ^= 1;
    await c.db.records.put({ ...victim, ct });
    const done = await resealAtRest(c.db, c.session);
    expect(done.step).toBe('done');
    expect(done.damaged).toBe(1);
    expect(await c.db.records.get(victim.id)).toEqual({ ...victim, ct });
    const others = (await c.db.records.toArray()).filter((r) => r.id !== victim.id);
    expect(others.every((r) => r.keyVersion === 2)).toBe(true);
  });
});
