/**
 * "Adding a user on another computer works the same way" (issue 13 deliverable 2): a member's
 * identity keys made on a computer other than the administrator's — Dana resets her forgotten
 * passphrase with the recovery key on her own laptop, which gives her a new identity — are not
 * trusted by any other computer until an administrator compares the short fingerprint both
 * screens show and confirms it. Until then what she writes waits on her laptop (before: sent and
 * refused for good everywhere else as a forgery, her note lost there), and she cannot sign;
 * numbers that differ change nothing; once they match, her note arrives and she can sign it.
 * Through the real server.
 */
import { describe, expect, it } from 'vitest';
import { RecordStore } from '../../renderer/db/record-store';

import { addMaya } from '../../renderer/db/test-support';
import type { UserKeys } from '../../renderer/sync/clinic-keys';
import { createRecoveryKey, recoverWithKey } from '../../renderer/sync/recovery';
import { chainStateOf } from '../../renderer/trust/chain-store';
import { confirmMemberKeys } from '../../renderer/trust/member-keys';
import { waitingForWriter } from '../../renderer/trust/authors';
import { readTrustStatus } from '../../renderer/trust/status';
import { currentMember } from '../../shared/trust/chain-state';
import { memberKeysOf } from '../../shared/crypto/keyring';

import { DANA, addDana, adminComputer, joinComputer, round, hostileWorld, refusals } from './world';

const world = hostileWorld();

describe('a member’s keys made on another computer', () => {
  it('are not trusted until an administrator confirms the numbers both screens show', async () => {
    const a = await adminComputer(world.server);
    world.computers.push(a);
    const dana = await addDana(a);
    const patient = await addMaya(a.store);
    const recoveryKey = await createRecoveryKey(a.store);
    await round(a);
    const d = await joinComputer(a, world.server, DANA);
    world.computers.push(d);
    await round(d);
    const chainKey = currentMember((await chainStateOf(a.db))!, dana.id)!.keys.signingKey;

    // Dana forgot her passphrase: on her laptop, the recovery key gives her a new identity.
    d.store = new RecordStore(
      d.db,
      await recoverWithKey(d.db, {
        username: DANA.username,
        recoveryKey,
        newPassphrase: 'dana sails past the breakwater',
      }),
    );
    const newKeys = memberKeysOf(((await d.db.keyring.get(dana.id)) as UserKeys).identity)!;
    expect(newKeys.signingKey).not.toBe(chainKey);
    const note = await d.store.create('note', {
      patientId: patient.id,
      templateId: 'soap',
      title: 'Integration session',
      sections: { subjective: 'Slept well since the last session.' },
      timeline: [],
    });
    // Signing waits for the confirmation (a signature now would be refused everywhere else).
    await expect(d.store.sign('note', note.id)).rejects.toThrow(
      /Your new keys \(set with the recovery key\) wait for an administrator to confirm them/,
    );
    expect((await d.store.get('note', note.id))?.status).toBe('draft');
    await round(d);
    await round(a);

    // No other computer takes what her unconfirmed key signed: it is not even sent, so nothing
    // is refused for good; it stays in her laptop's outbox, listed as waiting.
    expect(await a.db.records.get(note.id)).toBeUndefined();
    expect(await refusals(a)).toEqual([]);
    expect(await d.db.outbox.where('recordId').equals(note.id).count()).toBeGreaterThan(0);
    expect(await waitingForWriter(d.db)).toEqual([
      { recordId: note.id, kind: 'note', writer: dana.id, why: 'unconfirmed-keys' },
    ]);
    expect(currentMember((await chainStateOf(a.db))!, dana.id)!.keys.signingKey).toBe(chainKey);

    // Both screens show the same numbers: hers as pending, the administrator's beside her name.
    const hers = (await readTrustStatus(d.store)).pending.join(' ');
    const waiting = (await readTrustStatus(a.store)).waitingColleagues;
    expect(waiting).toHaveLength(1);
    const digits = waiting[0]!.fingerprint!;
    expect(digits).toMatch(/^\d{5}( \d{5}){4}$/);
    expect(hers).toContain(digits);

    // Numbers that differ from hers (the server showed one side something else) change nothing.
    await expect(
      confirmMemberKeys(a.store, dana.id, '12345 67890 12345 67890 12345'),
    ).rejects.toThrow(/keys changed while you compared/);
    expect(currentMember((await chainStateOf(a.db))!, dana.id)!.keys.signingKey).toBe(chainKey);

    // The numbers match: the administrator confirms; her laptop signs the note again at its next
    // round, and it arrives. Now she can sign it too.
    await confirmMemberKeys(a.store, dana.id, digits);
    await round(a);
    await round(d);
    await round(a);
    expect((await a.store.get('note', note.id))?.sections).toEqual({
      subjective: 'Slept well since the last session.',
    });
    expect(await waitingForWriter(d.db)).toEqual([]);
    await d.store.sign('note', note.id);
    await round(d);
    await round(a);
    expect((await a.store.get('note', note.id))?.status).toBe('signed');
    expect(await refusals(a)).toEqual([]);
    expect((await readTrustStatus(a.store)).waitingColleagues).toEqual([]);
  }, 240_000);
});
