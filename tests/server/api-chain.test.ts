/**
 * The membership chain on the server: it stores what verifies, appends by compare-and-swap, and
 * refuses — with plain words — statements every computer would refuse, so a stolen device token
 * cannot wedge the chain with junk.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChainPage } from '../../shared/sync/protocol';
import { type ApiWorld, openApiWorld } from './api-world';
import { enroll, problemOf } from './client';
import { TestChain, person } from '../adversary/members';

let world: ApiWorld;
beforeEach(async () => {
  world = await openApiWorld();
});
afterEach(async () => world.close());

const append = (auth: { authorization: string }, expectLength: number, statements: string[]) =>
  world.app.inject({
    method: 'POST',
    url: '/v1/chain',
    headers: auth,
    payload: { expectLength, statements },
  });

const read = async (auth: { authorization: string }, from = 0) =>
  ChainPage.parse(
    (
      await world.app.inject({ method: 'GET', url: `/v1/chain?from=${from}`, headers: auth })
    ).json(),
  );

describe('membership chain endpoints', () => {
  it('stores a verifying chain and serves it from any position', async () => {
    const chain = new TestChain(world.admin.credentials.clinicId);
    const alex = await person();
    const dana = await person();
    await chain.root(alex);
    await chain.append(alex, {
      kind: 'add-user',
      userId: dana.userId,
      roles: ['therapist'],
      keys: dana.keys,
    });
    const res = await append(world.admin.auth, 0, chain.texts);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ length: 2 });
    const device = await enroll(world.app, world.admin);
    expect(await read(device.auth)).toEqual({ statements: chain.texts, length: 2 });
    expect(await read(device.auth, 1)).toEqual({ statements: chain.texts.slice(1), length: 2 });
  });

  it('appends only onto the expected length', async () => {
    const chain = new TestChain(world.admin.credentials.clinicId);
    const alex = await person();
    await chain.root(alex);
    expect((await append(world.admin.auth, 0, chain.texts)).statusCode).toBe(200);
    const dana = await person();
    const next = await chain.append(alex, {
      kind: 'add-user',
      userId: dana.userId,
      roles: ['therapist'],
      keys: dana.keys,
    });
    const stale = await append(world.admin.auth, 0, [next]);
    expect(stale.statusCode).toBe(409);
    expect(problemOf(stale)).toMatchObject({ code: 'chain-moved' });
    expect(problemOf(stale).detail).toMatch(/changed on another computer meanwhile/);
  });

  it('a stolen non-administrator token cannot start a chain, nor add what does not verify', async () => {
    const thief = await enroll(world.app, world.admin);
    const chain = new TestChain(world.admin.credentials.clinicId);
    const mallory = await person();
    await chain.root(mallory);
    const first = await append(thief.auth, 0, chain.texts);
    expect(first.statusCode).toBe(403);
    expect(problemOf(first).detail).toMatch(/started from an administrator's computer/);

    const real = new TestChain(world.admin.credentials.clinicId);
    const alex = await person();
    await real.root(alex);
    expect((await append(world.admin.auth, 0, real.texts)).statusCode).toBe(200);
    // Mallory signs "make me an administrator" under her own key, naming herself as signer.
    const forged = await real.sign(mallory, {
      kind: 'add-user',
      userId: mallory.userId,
      roles: ['administrator'],
      keys: mallory.keys,
    });
    const res = await append(thief.auth, 1, [forged]);
    expect(res.statusCode).toBe(422);
    expect(problemOf(res).detail).toMatch(/not an administrator at the time.*Nothing was added/);
    expect((await read(thief.auth)).length).toBe(1);
  });

  it('refuses a statement of another clinic and a replay of one already held', async () => {
    const chain = new TestChain(world.admin.credentials.clinicId);
    const alex = await person();
    await chain.root(alex);
    expect((await append(world.admin.auth, 0, chain.texts)).statusCode).toBe(200);
    const replay = await append(world.admin.auth, 1, chain.texts);
    expect(replay.statusCode).toBe(422);
    const other = new TestChain();
    await other.root(alex);
    const foreign = await append(world.admin.auth, 1, other.texts);
    expect(foreign.statusCode).toBe(422);
    expect(problemOf(foreign).detail).toMatch(/belongs to another clinic|does not follow/);
  });
});
