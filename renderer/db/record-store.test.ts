import { afterEach, describe, expect, it } from 'vitest';
import { fromUtf8 } from '../../shared/util/bytes';
import { addUser, signIn, signInDelay, verifyPassphrase, waitWords } from './auth';
import { PatientIndex } from './patient-index';
import { ConcurrentEditError, RecordStore } from './record-store';
import { freshClinic, MAYA } from './test-support';
import type { KatDatabase } from './database';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});
async function clinic() {
  const c = await freshClinic();
  opened.push(c.db);
  return c;
}

describe('record store', () => {
  it('writes the record, an outbox change and an audit event together', async () => {
    const { db, store } = await clinic();
    const outboxBefore = await db.outbox.count();
    const p = await store.create('patient', MAYA);
    expect(await db.outbox.where('recordId').equals(p.id).count()).toBe(1);
    expect(await db.audit.where('recordId').equals(p.id).first()).toMatchObject({
      action: 'create',
      patientId: p.id,
    });
    // The record's change and its audit event's (audit events sync too, issue 7).
    expect(await db.outbox.count()).toBe(outboxBefore + 2);
    expect((await store.get('patient', p.id))?.lastName).toBe('Okafor');
  });

  it('keeps names and note text out of IndexedDB in the clear', async () => {
    const { db, store } = await clinic();
    const p = await store.create('patient', MAYA);
    await store.create('note', {
      patientId: p.id,
      templateId: 'soap',
      title: 'Session',
      sections: { subjective: 'Reports vivid dream about grandmother' },
      timeline: [],
    });
    const dump = JSON.stringify(
      await Promise.all([
        db.records.toArray(),
        db.audit.toArray(),
        db.outbox.toArray(),
        db.meta.toArray(),
      ]),
      (_k, v) =>
        v instanceof Uint8Array ? fromUtf8(v.map((b) => (b < 32 || b > 126 ? 32 : b))) : v,
    );
    expect(dump).not.toMatch(/Okafor|Maya|grandmother/);
  });

  it('refuses to edit a signed note and keeps the signed text', async () => {
    const { store } = await clinic();
    const p = await store.create('patient', MAYA);
    const note = await store.create('note', {
      patientId: p.id,
      templateId: 'soap',
      title: 'S',
      sections: { plan: 'Follow up' },
      timeline: [],
    });
    await store.sign('note', note.id);
    await expect(store.update('note', note.id, () => ({ title: 'Edited' }))).rejects.toThrow(
      /signed and can no longer be changed/,
    );
    expect((await store.get('note', note.id))?.title).toBe('S');
  });

  it('links an addendum to the signed original', async () => {
    const { store } = await clinic();
    const p = await store.create('patient', MAYA);
    const note = await store.create('note', {
      patientId: p.id,
      templateId: 'soap',
      title: 'S',
      sections: {},
      timeline: [],
    });
    const signed = await store.sign('note', note.id);
    const add = await store.addAddendum(signed, 'BP recheck was 132/84', 'Late entry');
    expect(add).toMatchObject({
      kind: 'addendum',
      targetId: note.id,
      status: 'signed',
      reason: 'Late entry',
    });
    expect(add.signature?.by).toBe(store.session.user.id);
  });

  it('enforces roles in the repository, not only in the UI', async () => {
    const { db, store } = await clinic();
    await addUser(store, {
      displayName: 'Theo Therapist',
      username: 'theo',
      roles: ['therapist'],
      passphrase: 'theo passphrase 1',
    });
    const theo = new RecordStore(db, await signIn(db, 'theo', 'theo passphrase 1'));
    const p = await theo.create('patient', MAYA);
    await expect(
      theo.create('dose', {
        patientId: p.id,
        encounterId: p.id,
        medication: 'ketamine-hcl',
        route: 'iv-infusion',
        doseMg: 40,
        prescriberId: theo.session.user.id,
        administeredBy: theo.session.user.id,
        setting: 'in-office',
        rateChanges: [],
        boluses: [],
        vitals: [],
        observations: [],
        adverseEvents: [],
        overrides: [],
      }),
    ).rejects.toThrow('Your role (Therapist) does not allow recording or editing dose records.');
  });

  it('rejects invalid input with a clear message and stores nothing', async () => {
    const { db, store } = await clinic();
    const before = await db.records.count();
    await expect(store.create('patient', { ...MAYA, dateOfBirth: 'yesterday' })).rejects.toThrow(
      /dateOfBirth/,
    );
    expect(await db.records.count()).toBe(before);
  });

  it('refuses the slower of two simultaneous edits instead of silently overwriting it', async () => {
    const { db, session, store } = await clinic();
    const p = await store.create('patient', MAYA);
    // Two other windows, each reading what is stored: `store` itself remembers the version it
    // wrote and, refused, starts again from the stored one (the next test), so which of the two
    // would be refused would depend on which committed first.
    const [one, other] = [new RecordStore(db, session), new RecordStore(db, session)];
    const results = await Promise.allSettled([
      one.update('patient', p.id, () => ({ phone: '555 0100' })),
      other.update('patient', p.id, () => ({ phone: '555 0199' })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ConcurrentEditError);
    const winner = (
      results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ phone?: string }>
    ).value;
    expect((await store.get('patient', p.id))?.phone).toBe(winner.phone);
  });

  it('applies an edit to what another window stored since, when it started from its own last write', async () => {
    const { db, session, store } = await clinic();
    const p = await store.create('patient', MAYA);
    await new RecordStore(db, session).update('patient', p.id, () => ({ phone: '555 0199' }));
    // `store` remembers the version it created; the stored row is newer, so it reads that one.
    const edited = await store.update('patient', p.id, (now) => ({
      preferredName: `${now.phone} caller`,
    }));
    expect(edited).toMatchObject({ phone: '555 0199', preferredName: '555 0199 caller' });
    expect(await store.get('patient', p.id)).toMatchObject({ phone: '555 0199' });
  });
});

describe('sign-in', () => {
  it('opens the clinic with the right passphrase and refuses a wrong one, slowing down after three', async () => {
    const { db, session, passphrase } = await clinic();
    const again = await signIn(db, 'alex', passphrase);
    expect(again.user.id).toBe(session.user.id);
    for (let i = 0; i < 3; i++)
      await expect(signIn(db, 'alex', 'not the passphrase')).rejects.toThrow(
        'That user name and passphrase do not match',
      );
    expect(await signInDelay(db, 'alex')).toBeGreaterThan(0);
    await expect(signIn(db, 'alex', passphrase)).rejects.toThrow(
      'Too many wrong tries for this user name. Wait 2 seconds, then try again.',
    );
    expect(await db.audit.where('action').equals('sign-in-failed').count()).toBe(3);
  });

  it('slows down only the user name that was mistyped, not a colleague at the same computer', async () => {
    const { db, passphrase, store } = await clinic();
    await addUser(store, {
      displayName: 'Dana Therapist',
      username: 'dana',
      roles: ['therapist'],
      passphrase: 'dana walks the pier at dawn',
    });
    for (let i = 0; i < 3; i++)
      await expect(signIn(db, 'dana', 'not her passphrase')).rejects.toThrow(
        'That user name and passphrase do not match',
      );
    await expect(signIn(db, 'dana', 'dana walks the pier at dawn')).rejects.toThrow(/^Too many/);
    // Alex, at the same desk, signs in at once.
    expect(await signInDelay(db, 'alex')).toBe(0);
    expect((await signIn(db, 'alex', passphrase)).user.username).toBe('alex');
  });

  it('says the wait in words, with plurals right', () => {
    expect([1, 2, 59, 60, 61, 120, 900].map(waitWords)).toEqual([
      'Wait 1 second',
      'Wait 2 seconds',
      'Wait 59 seconds',
      'Wait 1 minute',
      'Wait 2 minutes',
      'Wait 2 minutes',
      'Wait 15 minutes',
    ]);
  });

  it('gives the same answer for an unknown user name', async () => {
    const { db } = await clinic();
    await expect(signIn(db, 'nobody', 'whatever passphrase')).rejects.toThrow(
      'That user name and passphrase do not match',
    );
  });

  it('re-checks a passphrase for signing', async () => {
    const { db, session, passphrase } = await clinic();
    expect(await verifyPassphrase(db, session.user.id, passphrase)).toBe(true);
    expect(await verifyPassphrase(db, session.user.id, 'wrong one here')).toBe(false);
  });
});

describe('patient search index', () => {
  it('finds patients by name parts, accents folded, and by date of birth; follows later writes', async () => {
    const { store } = await clinic();
    await store.create('patient', MAYA);
    await store.create('patient', {
      ...MAYA,
      firstName: 'José',
      lastName: 'Núñez',
      dateOfBirth: '1975-12-01',
    });
    const index = await PatientIndex.build(store);
    expect(index.search('nun').map((p) => p.lastName)).toEqual(['Núñez']);
    expect(index.search('jose n').map((p) => p.lastName)).toEqual(['Núñez']);
    expect(index.search('1987-04').map((p) => p.lastName)).toEqual(['Okafor']);
    expect(index.search('04/12/1987').map((p) => p.lastName)).toEqual(['Okafor']);
    expect(index.search('zz')).toEqual([]);
    await store.create('patient', { ...MAYA, firstName: 'Nina', lastName: 'Nunes' });
    expect(index.search('nun').map((p) => p.lastName)).toEqual(['Nunes', 'Núñez']);
  });
});
