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
import { TestChain, person } from '../../tests/adversary/members';
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
