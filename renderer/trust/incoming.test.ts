/**
 * The chain check of incoming changes (incoming.ts), case by case on a chain built in memory:
 * what waits (a membership not known yet), what is refused for good, and the path of records
 * signed before signatures were bound to keys. The attacks end to end, against the real server,
 * are in tests/adversary/incoming.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { AnyRecord } from '../../shared/model';
import { signRecord } from '../../shared/rules/lifecycle';
import { uuidv7 } from '../../shared/util/ids';
import { signChange, wireAuthor } from '../../shared/trust/change-author';
import { type Person, TestChain, person } from '../../tests/adversary/members';
import { checkAgainstChain } from './incoming';

const DEVICE = uuidv7();

async function clinic() {
  const chain = new TestChain();
  const admin = await person();
  const pat = await person();
  await chain.root(admin);
  await chain.append(admin, {
    kind: 'add-user',
    userId: pat.userId,
    roles: ['prescriber'],
    keys: pat.keys,
  });
  await chain.append(admin, {
    kind: 'enroll-device',
    deviceId: DEVICE,
    publicKey: pat.keys.signingKey,
    owner: pat.userId,
  });
  return { chain, admin, pat };
}

function note(clinicId: string, createdBy: string): AnyRecord {
  return {
    kind: 'note',
    id: uuidv7(),
    clinicId,
    createdBy,
    createdAt: '2026-12-06T10:00:00.000Z',
    updatedAt: '2026-12-06T10:00:00.000Z-0000-abcdef0123456789',
    status: 'draft',
    schemaVersion: 1,
    patientId: uuidv7(),
    title: 'Session',
    body: 'Talked about sleep.',
  } as unknown as AnyRecord;
}

const incoming = (record: AnyRecord, fromDevice = DEVICE, seq = 10) => ({
  record,
  change: { changeId: uuidv7(), record, hlc: record.updatedAt },
  bundle: { seq, bundleId: uuidv7(), fromDevice },
  local: undefined,
});

describe('checking incoming changes against the membership chain', () => {
  it('a computer the chain does not enroll yet: its changes wait', async () => {
    const { chain, pat } = await clinic();
    const v = await checkAgainstChain(
      chain.state!,
      incoming(note(chain.clinicId, pat.userId), uuidv7()),
    );
    expect(v).toMatchObject({ verdict: 'hold', reason: 'membership-unverified' });
  });

  it('a signature made with the signer’s key at the chain position it names is taken', async () => {
    const { chain, pat } = await clinic();
    const signed = await signRecord(
      note(chain.clinicId, pat.userId) as never,
      {
        id: pat.userId,
        name: 'Pat',
        signingKey: pat.signer.signingKey,
        chain: chain.state!.length,
      },
      new Date(),
    );
    expect(await checkAgainstChain(chain.state!, incoming(signed))).toEqual({ verdict: 'accept' });
  });

  it('a signature naming a chain longer than this computer holds waits for the chain', async () => {
    const { chain, pat } = await clinic();
    const signed = await signRecord(
      note(chain.clinicId, pat.userId) as never,
      {
        id: pat.userId,
        name: 'Pat',
        signingKey: pat.signer.signingKey,
        chain: chain.state!.length + 2,
      },
      new Date(),
    );
    expect(await checkAgainstChain(chain.state!, incoming(signed))).toMatchObject({
      verdict: 'hold',
      reason: 'membership-unverified',
    });
  });

  it('a signature with no key signature, dated today, is refused; one from before keys is taken and noted only in an upgraded clinic', async () => {
    const { chain, pat } = await clinic();
    const base = note(chain.clinicId, pat.userId);
    const today = await signRecord(
      base as never,
      { id: pat.userId, name: 'Pat Moreno' },
      new Date(),
    );
    expect(await checkAgainstChain(chain.state!, incoming(today))).toEqual({
      verdict: 'quarantine',
      message: expect.stringMatching(
        /signed by Pat Moreno carries no signature made with their key/,
      ),
    });
    const old = await signRecord(
      base as never,
      { id: pat.userId, name: 'Pat Moreno' },
      new Date('2026-11-02T09:00:00.000Z'),
    );
    // A clinic created with its chain never had such signatures: a date set back buys nothing.
    expect(await checkAgainstChain(chain.state!, incoming(old))).toMatchObject({
      verdict: 'quarantine',
    });
    // A clinic upgraded from before the chain (its root names legacyBefore).
    const upgraded = { ...chain.state!, legacyBefore: '2026-11-20T00:00:00.000Z' };
    expect(await checkAgainstChain(upgraded, incoming(old))).toEqual({
      verdict: 'accept',
      note: expect.stringMatching(
        /signed by Pat Moreno on 2026-11-02, before signatures were bound/,
      ),
    });
    const afterUpgrade = await signRecord(
      base as never,
      { id: pat.userId, name: 'Pat Moreno' },
      new Date('2026-11-25T09:00:00.000Z'),
    );
    expect(await checkAgainstChain(upgraded, incoming(afterUpgrade))).toMatchObject({
      verdict: 'quarantine',
    });
  });

  it('a record written by someone unknown to this chain waits; by a member whose role may not write it, refused', async () => {
    const { chain, admin } = await clinic();
    expect(
      await checkAgainstChain(chain.state!, incoming(note(chain.clinicId, uuidv7()))),
    ).toMatchObject({
      verdict: 'hold',
    });
    // An administrator is not a clinician: notes are not theirs to write.
    expect(
      await checkAgainstChain(chain.state!, incoming(note(chain.clinicId, admin.userId))),
    ).toEqual({
      verdict: 'quarantine',
      message: expect.stringMatching(/role does not allow them to write notes/),
    });
  });

  it('a computer’s bundles up to its removal stand; later ones are refused', async () => {
    const { chain, admin, pat } = await clinic();
    await chain.append(admin, { kind: 'revoke-device', deviceId: DEVICE, upTo: 10 });
    const r = note(chain.clinicId, pat.userId);
    expect(await checkAgainstChain(chain.state!, incoming(r, DEVICE, 10))).toEqual({
      verdict: 'accept',
    });
    expect(await checkAgainstChain(chain.state!, incoming(r, DEVICE, 11))).toMatchObject({
      verdict: 'quarantine',
    });
  });
});

describe('changes name their writer (issue 13 deliverable 4: author signatures)', () => {
  /** Dana, a therapist, and an administrator's computer colleagues share. */
  async function sharedDesk() {
    const { chain, admin, pat } = await clinic();
    const dana = await person();
    await chain.append(admin, {
      kind: 'add-user',
      userId: dana.userId,
      roles: ['therapist'],
      keys: dana.keys,
    });
    await chain.append(admin, {
      kind: 'enroll-device',
      deviceId: DESK,
      publicKey: admin.keys.signingKey,
      owner: admin.userId,
    });
    return { chain, admin, pat, dana };
  }
  const DESK = uuidv7();
  const dose = (clinicId: string, createdBy: string) =>
    ({ ...note(clinicId, createdBy), kind: 'dose' }) as unknown as AnyRecord;
  async function authored(record: AnyRecord, by: Person, chainLength: number, seq = 10) {
    const a = await signChange(record, {
      userId: by.userId,
      signingKey: by.signer.signingKey,
      chain: chainLength,
    });
    const c = incoming(record, DESK, seq);
    return { ...c, change: { ...c.change, author: wireAuthor(a) } };
  }

  it('a dose written at the shared desk: its writer’s role decides, not the desk’s', async () => {
    const { chain, pat, dana } = await sharedDesk();
    const n = chain.state!.length;
    expect(
      await checkAgainstChain(
        chain.state!,
        await authored(dose(chain.clinicId, pat.userId), pat, n),
      ),
    ).toEqual({ verdict: 'accept' });
    expect(
      await checkAgainstChain(
        chain.state!,
        await authored(dose(chain.clinicId, pat.userId), dana, n),
      ),
    ).toEqual({
      verdict: 'quarantine',
      message: expect.stringMatching(/written by someone whose role does not allow writing dose/),
    });
  });

  it('a writer named but signed with another key, or the record changed after signing: refused', async () => {
    const { chain, admin, dana } = await sharedDesk();
    const n = chain.state!.length;
    const forged = await authored(dose(chain.clinicId, admin.userId), dana, n);
    forged.change.author = { ...forged.change.author, by: admin.userId };
    expect(await checkAgainstChain(chain.state!, forged)).toMatchObject({
      verdict: 'quarantine',
      message: expect.stringMatching(/not signed with the key of the person it names/),
    });
    const altered = await authored(note(chain.clinicId, dana.userId), dana, n);
    altered.record = { ...altered.record, body: 'Something else.' } as AnyRecord;
    altered.change = { ...altered.change, record: altered.record };
    expect(await checkAgainstChain(chain.state!, altered)).toMatchObject({
      verdict: 'quarantine',
    });
  });

  it('the downgrade: without the rule, an unauthored change is judged by its computer; once the chain requires authors, refused from later bundles only', async () => {
    const { chain, admin, pat, dana } = await sharedDesk();
    const r = dose(chain.clinicId, pat.userId);
    // Before the rule: the desk is confirmed for an administrator and may carry every kind.
    expect(await checkAgainstChain(chain.state!, incoming(r, DESK, 30))).toEqual({
      verdict: 'accept',
    });
    await chain.append(admin, { kind: 'require-authors', upTo: 20 });
    expect(await checkAgainstChain(chain.state!, incoming(r, DESK, 20))).toEqual({
      verdict: 'accept',
    });
    expect(await checkAgainstChain(chain.state!, incoming(r, DESK, 21))).toMatchObject({
      verdict: 'quarantine',
      message: expect.stringMatching(/without the signature of the person who wrote it/),
    });
    // Signed by its writer, it still arrives; a second rule statement is refused by the chain.
    const ok = await authored(note(chain.clinicId, dana.userId), dana, chain.state!.length, 40);
    expect(await checkAgainstChain(chain.state!, ok)).toEqual({ verdict: 'accept' });
    await expect(chain.append(admin, { kind: 'require-authors', upTo: 50 })).rejects.toThrow();
  });

  it('backdating in an upgraded clinic: a signature from before keys, dated back, names its signer only from its signer once writers are required', async () => {
    const { chain, admin, pat, dana } = await sharedDesk();
    await chain.append(admin, { kind: 'require-authors', upTo: 20 });
    // A clinic upgraded from before the chain; Dana holds an old key and sets her clock back.
    const upgraded = { ...chain.state!, legacyBefore: '2026-11-20T00:00:00.000Z' };
    const backdated = (await signRecord(
      note(chain.clinicId, pat.userId) as never,
      { id: pat.userId, name: 'Pat Moreno' },
      new Date('2026-11-02T09:00:00.000Z'),
    )) as unknown as AnyRecord;
    const n = chain.state!.length;
    // Sent after the rule, naming no writer: refused (before: taken "on its content check").
    expect(await checkAgainstChain(upgraded, incoming(backdated, DESK, 40))).toMatchObject({
      verdict: 'quarantine',
    });
    // Sent after the rule under Dana's own writer signature, as Pat's: refused.
    expect(await checkAgainstChain(upgraded, await authored(backdated, dana, n, 40))).toEqual({
      verdict: 'quarantine',
      message: expect.stringMatching(
        /said to be signed by Pat Moreno before signatures were bound to keys came from someone else/,
      ),
    });
    // Pat's own (his pre-upgrade note, sent late from his computer): taken, and listed.
    expect(await checkAgainstChain(upgraded, await authored(backdated, pat, n, 40))).toMatchObject({
      verdict: 'accept',
      note: expect.stringMatching(/before signatures were bound/),
    });
    // From a bundle sealed before the rule: as before, taken and listed.
    expect(await checkAgainstChain(upgraded, incoming(backdated, DESK, 20))).toMatchObject({
      verdict: 'accept',
    });
  });

  it('a writer this chain does not know yet, or a chain position beyond ours: waits', async () => {
    const { chain } = await sharedDesk();
    const stranger = await person();
    const r = note(chain.clinicId, stranger.userId);
    expect(
      await checkAgainstChain(chain.state!, await authored(r, stranger, chain.state!.length)),
    ).toMatchObject({ verdict: 'hold' });
  });
});

describe('questionnaires a practice manager collected in patient mode (issue 17)', () => {
  const DESK = uuidv7();
  /** Jordan, a practice manager, at the front desk confirmed for an administrator. */
  async function frontDesk() {
    const { chain, admin } = await clinic();
    const jordan = await person();
    await chain.append(admin, {
      kind: 'add-user',
      userId: jordan.userId,
      roles: ['practice-manager'],
      keys: jordan.keys,
    });
    await chain.append(admin, {
      kind: 'enroll-device',
      deviceId: DESK,
      publicKey: admin.keys.signingKey,
      owner: admin.userId,
    });
    await chain.append(admin, { kind: 'require-authors', upTo: 0 });
    return { chain, jordan };
  }
  const phq9 = (clinicId: string, createdBy: string, more: object = {}) =>
    ({
      ...note(clinicId, createdBy),
      kind: 'measure',
      title: undefined,
      body: undefined,
      instrument: 'phq9',
      administeredAt: '2026-12-06T10:00:00.000Z',
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 1],
      completedBy: 'patient',
      ...more,
    }) as unknown as AnyRecord;
  async function by(record: AnyRecord, who: Person, chainLength: number) {
    const a = await signChange(record, {
      userId: who.userId,
      signingKey: who.signer.signingKey,
      chain: chainLength,
    });
    const c = incoming(record, DESK, 10);
    return { ...c, change: { ...c.change, author: wireAuthor(a) } };
  }

  it('the patient’s answers, a draft for a clinician, reach the other computers', async () => {
    const { chain, jordan } = await frontDesk();
    const n = chain.state!.length;
    expect(
      await checkAgainstChain(
        chain.state!,
        await by(phq9(chain.clinicId, jordan.userId), jordan, n),
      ),
    ).toEqual({ verdict: 'accept' });
  });

  it('a measure of the staff’s own, a signed one, or an edit of one already held: still refused', async () => {
    const { chain, jordan } = await frontDesk();
    const n = chain.state!.length;
    const own = phq9(chain.clinicId, jordan.userId, { completedBy: 'staff' });
    expect(await checkAgainstChain(chain.state!, await by(own, jordan, n))).toMatchObject({
      verdict: 'quarantine',
    });
    const unmarked = phq9(chain.clinicId, jordan.userId, { completedBy: undefined });
    expect(await checkAgainstChain(chain.state!, await by(unmarked, jordan, n))).toMatchObject({
      verdict: 'quarantine',
    });
    const held = phq9(chain.clinicId, jordan.userId);
    const edited = { ...held, answers: [0, 0, 0, 0, 0, 0, 0, 0, 0] } as unknown as AnyRecord;
    const change = { ...(await by(edited, jordan, n)), local: held };
    expect(await checkAgainstChain(chain.state!, change)).toMatchObject({
      verdict: 'quarantine',
    });
  });
});
