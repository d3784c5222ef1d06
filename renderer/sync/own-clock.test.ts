import { afterEach, describe, expect, it } from 'vitest';
import { HybridClock, formatHlc } from '../../shared/sync/hlc';
import { KatDatabase } from '../db/database';
import { openIssues } from '../db/sync-state';
import { noteOwnClock } from './own-clock';

const MINUTE = 60_000;
let db: KatDatabase | undefined;
afterEach(async () => db?.delete());

describe('this computer’s own clock', () => {
  it('is reported while it is off, once, and the problem resolves when it agrees again', async () => {
    db = new KatDatabase(`own-clock-${Date.now()}`);
    const real = Date.now();
    let wall = real + 6 * MINUTE;
    const clock = new HybridClock('laptop', () => wall);
    const server = new Date(real).toISOString();
    await noteOwnClock(db, clock, server);
    await noteOwnClock(db, clock, server);
    const open = await openIssues(db);
    expect(open.map((i) => i.message)).toEqual([
      expect.stringMatching(/about 6 minutes ahead of the clinic server’s/),
    ]);
    wall = real - 10 * MINUTE;
    await noteOwnClock(db, clock, server);
    expect((await openIssues(db)).map((i) => i.message)).toEqual([
      expect.stringMatching(/about 10 minutes behind/),
    ]);
    wall = real;
    await noteOwnClock(db, clock, server);
    expect(await openIssues(db)).toEqual([]);
  });

  it('tells that changes made here carry future times after the clock was corrected', async () => {
    db = new KatDatabase(`own-clock-b-${Date.now()}`);
    const real = Date.now();
    const stamped = formatHlc({ wallMs: real + 8 * MINUTE, counter: 0, node: 'laptop' });
    const clock = new HybridClock('laptop', () => real, stamped);
    await noteOwnClock(db, clock, new Date(real).toISOString());
    expect((await openIssues(db))[0]?.message).toMatch(/was ahead earlier.*about 8 minutes/);
  });
});
