import { describe, expect, it } from 'vitest';
import { generateDataKey } from '../crypto/envelope';
import { generateIdentity, type Identity } from '../crypto/keyring';
import { exportIdentityPublic } from '../crypto/keyring';
import { uuidv7 } from '../util/ids';
import { type ChainState, memberAt, currentMember } from './chain-state';
import { keyCommitment, matchesCommitment } from './commitment';
import { joinFingerprint } from './fingerprint';
import { type ChainSigner, signStatement } from './sign';
import { type Statement, type StatementBody, statementText } from './statement';
import { extendChain, verifyChain } from './verify';

type Person = {
  userId: string;
  identity: Identity;
  signer: ChainSigner;
  keys: { signingKey: string; agreementKey: string };
};

async function person(): Promise<Person> {
  const identity = await generateIdentity();
  const userId = uuidv7();
  return {
    userId,
    identity,
    signer: { userId, signingKey: identity.signing!.privateKey },
    keys: {
      signingKey: identity.signing!.publicKey,
      agreementKey: await exportIdentityPublic(identity.publicKey),
    },
  };
}

/** A clinic chain built statement by statement, as an administrator's computer does. */
async function clinic() {
  const clinicId = uuidv7();
  const alex = await person();
  const texts: string[] = [];
  let state: ChainState | undefined;
  const append = async (by: Person, body: StatementBody) => {
    const s = await signStatement(state, clinicId, by.signer, body);
    const r = await extendChain(state, [statementText(s)]);
    if (r.problem) throw new Error(r.problem.message);
    state = r.state;
    texts.push(statementText(s));
    return s;
  };
  await append(alex, {
    kind: 'root',
    userId: alex.userId,
    roles: ['administrator'],
    keys: alex.keys,
  });
  const key = await generateDataKey();
  await append(alex, {
    kind: 'new-key-version',
    version: 1,
    reason: 'clinic-created',
    createdAt: new Date().toISOString(),
    commitment: await keyCommitment(key, clinicId, 1),
  });
  return { clinicId, alex, texts, append, state: () => state!, key };
}

/** Another statement signed at the same place in the chain as `s`. */
const resign = (s: Statement, by: ChainSigner, body: StatementBody) =>
  signStatement({ length: s.seq, headHash: s.prev } as ChainState, s.clinicId, by, body);

describe('the clinic membership chain', () => {
  it('verifies from the root: members, roles over time, devices and key versions', async () => {
    const c = await clinic();
    const dana = await person();
    await c.append(c.alex, {
      kind: 'add-user',
      userId: dana.userId,
      roles: ['therapist'],
      keys: dana.keys,
    });
    const device = uuidv7();
    await c.append(c.alex, {
      kind: 'enroll-device',
      deviceId: device,
      publicKey: dana.keys.signingKey,
      owner: dana.userId,
    });
    await c.append(c.alex, {
      kind: 'change-roles',
      userId: dana.userId,
      roles: ['therapist', 'administrator'],
    });
    await c.append(dana, { kind: 'remove-user', userId: c.alex.userId, upTo: 12 });

    const { state, problem } = await verifyChain(c.texts);
    expect(problem).toBeUndefined();
    expect(state!.length).toBe(6);
    expect(memberAt(state!, dana.userId, 3)!.roles).toEqual(['therapist']);
    expect(memberAt(state!, dana.userId, 4)!.roles).toContain('administrator');
    expect(memberAt(state!, dana.userId, 1)).toBeUndefined();
    expect(currentMember(state!, c.alex.userId)!.active).toBe(false);
    expect(memberAt(state!, c.alex.userId, 4)!.active).toBe(true);
    expect(state!.keys.get(1)!.reason).toBe('clinic-created');
    expect(state!.devices.get(device)!.revoked).toBeUndefined();
  });

  it('removing a user revokes every computer they own, keeping bundles up to the given sequence', async () => {
    const c = await clinic();
    const sam = await person();
    await c.append(c.alex, {
      kind: 'add-user',
      userId: sam.userId,
      roles: ['therapist'],
      keys: sam.keys,
    });
    const laptop = uuidv7();
    await c.append(c.alex, {
      kind: 'enroll-device',
      deviceId: laptop,
      publicKey: sam.keys.signingKey,
      owner: sam.userId,
    });
    await c.append(c.alex, { kind: 'remove-user', userId: sam.userId, upTo: 40 });
    expect(c.state().devices.get(laptop)!.revoked).toEqual({ seq: 4, upTo: 40 });
  });

  it('refuses a statement signed by a member who is not an administrator', async () => {
    const c = await clinic();
    const dana = await person();
    await c.append(c.alex, {
      kind: 'add-user',
      userId: dana.userId,
      roles: ['therapist'],
      keys: dana.keys,
    });
    const forged = await signStatement(c.state(), c.clinicId, dana.signer, {
      kind: 'change-roles',
      userId: dana.userId,
      roles: ['administrator'],
    });
    const r = await extendChain(c.state(), [statementText(forged)]);
    expect(r.problem?.reason).toBe('not-admin');
    expect(r.added).toEqual([]);
    expect(currentMember(r.state!, dana.userId)!.roles).toEqual(['therapist']);
  });

  it('refuses a statement that names an administrator but is signed with another key', async () => {
    const c = await clinic();
    const mallory = await person();
    const forged = await signStatement(
      c.state(),
      c.clinicId,
      { userId: c.alex.userId, signingKey: mallory.signer.signingKey },
      { kind: 'add-user', userId: mallory.userId, roles: ['administrator'], keys: mallory.keys },
    );
    const r = await extendChain(c.state(), [statementText(forged)]);
    expect(r.problem?.reason).toBe('bad-signature');
    expect(r.problem?.message).toMatch(/not signed by the administrator it names/);
  });

  it('refuses a body changed after signing', async () => {
    const c = await clinic();
    const dana = await person();
    const s = await signStatement(c.state(), c.clinicId, c.alex.signer, {
      kind: 'add-user',
      userId: dana.userId,
      roles: ['therapist'],
      keys: dana.keys,
    });
    const tampered = { ...s, body: { ...s.body, roles: ['administrator'] } } as Statement;
    expect((await extendChain(c.state(), [statementText(tampered)])).problem?.reason).toBe(
      'bad-signature',
    );
  });

  it('refuses a fork: a different statement at a sequence already held', async () => {
    const c = await clinic();
    const dana = await person();
    const held = await c.append(c.alex, {
      kind: 'add-user',
      userId: dana.userId,
      roles: ['therapist'],
      keys: dana.keys,
    });
    // The same administrator's key (stolen or coerced) signed another history from seq 1 on:
    // what this computer holds stands, the other branch is refused.
    const other = await resign(held, c.alex.signer, {
      ...held.body,
      roles: ['administrator'],
    } as StatementBody);
    const r = await extendChain(c.state(), [statementText(other)], { held: c.texts });
    expect(r.problem?.reason).toBe('fork');
    // The very statement held, served again, is recognised and skipped.
    const again = await extendChain(c.state(), [statementText(held)], { held: c.texts });
    expect(again.problem).toBeUndefined();
    expect(again.added).toEqual([]);
  });

  it('refuses a next statement that does not name the hash of the head', async () => {
    const c = await clinic();
    const dana = await person();
    const s = await signStatement(
      { ...c.state(), headHash: 'f'.repeat(64) },
      c.clinicId,
      c.alex.signer,
      { kind: 'add-user', userId: dana.userId, roles: ['therapist'], keys: dana.keys },
    );
    expect((await extendChain(c.state(), [statementText(s)])).problem?.reason).toBe('fork');
  });

  it('refuses a gap and a reordering, and takes what came before it', async () => {
    const c = await clinic();
    const [dana, sam] = [await person(), await person()];
    const s2 = await c.append(c.alex, {
      kind: 'add-user',
      userId: dana.userId,
      roles: ['therapist'],
      keys: dana.keys,
    });
    const s3 = await c.append(c.alex, {
      kind: 'add-user',
      userId: sam.userId,
      roles: ['therapist'],
      keys: sam.keys,
    });
    const two = c.texts.slice(0, 2);
    const start = (await verifyChain(two)).state!;
    const gap = await extendChain(start, [statementText(s3)]);
    expect(gap.problem?.reason).toBe('gap');
    const reordered = await extendChain(start, [statementText(s3), statementText(s2)]);
    expect(reordered.problem?.reason).toBe('gap');
    // A truncated chain verifies as far as it goes: withholding is what a server can still do.
    const truncated = await verifyChain(c.texts.slice(0, 3));
    expect(truncated.problem).toBeUndefined();
    expect(truncated.state!.length).toBe(3);
  });

  it('refuses a root that is not an administrator, a second root, and another clinic’s statement', async () => {
    const clinicId = uuidv7();
    const t = await person();
    const notAdmin = await signStatement(undefined, clinicId, t.signer, {
      kind: 'root',
      userId: t.userId,
      roles: ['therapist'],
      keys: t.keys,
    });
    expect((await verifyChain([statementText(notAdmin)])).problem?.reason).toBe('not-admin');

    const c = await clinic();
    const m = await person();
    const second = await signStatement(c.state(), c.clinicId, c.alex.signer, {
      kind: 'root',
      userId: m.userId,
      roles: ['administrator'],
      keys: m.keys,
    });
    expect((await extendChain(c.state(), [statementText(second)])).problem?.reason).toBe('invalid');

    const elsewhere = await signStatement(c.state(), uuidv7(), c.alex.signer, {
      kind: 'set-recovery',
      agreementKey: m.keys.agreementKey,
      sealedHash: 'a'.repeat(64),
    });
    expect((await extendChain(c.state(), [statementText(elsewhere)])).problem?.reason).toBe(
      'wrong-clinic',
    );
  });

  it('refuses rule breaks: key versions out of order, removing the last administrator, re-adding a member', async () => {
    const c = await clinic();
    const dana = await person();
    const key = await generateDataKey();
    const v3 = await signStatement(c.state(), c.clinicId, c.alex.signer, {
      kind: 'new-key-version',
      version: 3,
      reason: 'manual',
      createdAt: new Date().toISOString(),
      commitment: await keyCommitment(key, c.clinicId, 3),
    });
    const r = await extendChain(c.state(), [statementText(v3)]);
    expect(r.problem?.message).toMatch(/version 3 where 2 comes next/);
    await c.append(c.alex, {
      kind: 'add-user',
      userId: dana.userId,
      roles: ['therapist'],
      keys: dana.keys,
    });
    const demote = await signStatement(c.state(), c.clinicId, c.alex.signer, {
      kind: 'change-roles',
      userId: c.alex.userId,
      roles: ['therapist'],
    });
    expect((await extendChain(c.state(), [statementText(demote)])).problem?.message).toMatch(
      /last administrator/,
    );
    const again = await signStatement(c.state(), c.clinicId, c.alex.signer, {
      kind: 'add-user',
      userId: dana.userId,
      roles: ['administrator'],
      keys: (await person()).keys,
    });
    expect((await extendChain(c.state(), [statementText(again)])).problem?.reason).toBe('invalid');
  });

  it('refuses text that is not the canonical form, and junk', async () => {
    const c = await clinic();
    const dana = await person();
    const s = await signStatement(c.state(), c.clinicId, c.alex.signer, {
      kind: 'add-user',
      userId: dana.userId,
      roles: ['therapist'],
      keys: dana.keys,
    });
    const spaced = JSON.stringify(s, null, 1);
    expect((await extendChain(c.state(), [spaced])).problem?.reason).toBe('malformed');
    expect((await extendChain(c.state(), ['{"v":1}'])).problem?.reason).toBe('malformed');
    expect((await extendChain(c.state(), ['not json'])).problem?.reason).toBe('malformed');
  });

  it('a key commitment matches only the key it was made for, under its version and clinic', async () => {
    const c = await clinic();
    const announced = c.state().keys.get(1)!.commitment;
    expect(await matchesCommitment(c.key, c.clinicId, 1, announced)).toBe(true);
    expect(await matchesCommitment(await generateDataKey(), c.clinicId, 1, announced)).toBe(false);
    expect(await matchesCommitment(c.key, c.clinicId, 2, announced)).toBe(false);
    expect(await matchesCommitment(c.key, uuidv7(), 1, announced)).toBe(false);
    expect(await matchesCommitment(c.key, c.clinicId, 1, undefined)).toBe(false);
  });

  it('join fingerprints: five groups of five digits, different for another root or device key', async () => {
    const c = await clinic();
    const d = await person();
    const fp = await joinFingerprint(c.state().rootHash, d.keys.signingKey);
    expect(fp).toMatch(/^\d{5} \d{5} \d{5} \d{5} \d{5}$/);
    expect(await joinFingerprint(c.state().rootHash, d.keys.signingKey)).toBe(fp);
    expect(await joinFingerprint(c.state().rootHash, (await person()).keys.signingKey)).not.toBe(
      fp,
    );
    expect(await joinFingerprint('0'.repeat(64), d.keys.signingKey)).not.toBe(fp);
  });
});
