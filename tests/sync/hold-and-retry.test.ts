/**
 * Hold and retry (issue 14 finding 1 and point 1), against the real server: a change that cannot
 * be applied yet waits below the cursor and applies once it can; the computer whose clock is wrong
 * is told; a check plugged into the apply step (as the membership chain's will be) can hold a
 * change until it verifies, or set it aside for good.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAYA } from '../../renderer/db/test-support';
import type { IncomingCheck } from '../../renderer/db/incoming-checks';
import { listHeld } from '../../renderer/db/sync-held';
import { openIssues, readPosition } from '../../renderer/db/sync-state';
import { Device, newClinic, startServer } from './harness';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

const MINUTE = 60_000;

async function twoComputers() {
  const { clinic, enroll } = await newClinic(server.url);
  return {
    laptop: await Device.create('laptop', clinic, server.url, enroll),
    frontdesk: await Device.create('frontdesk', clinic, server.url, enroll),
  };
}

describe('a change that cannot be applied yet', () => {
  it('from a laptop whose clock runs 6 minutes fast: held, the laptop is told, and it arrives once the clocks agree', async () => {
    const { laptop, frontdesk } = await twoComputers();
    try {
      laptop.wallOffsetMs = 6 * MINUTE;
      const maya = await laptop.store.create('patient', MAYA);
      expect(await laptop.sync()).toBe(true);
      expect(await frontdesk.sync()).toBe(true);

      // Not applied (its clock is beyond the 5-minute limit), but not dropped either: it waits,
      // below a cursor that has moved on, with words for the sync panel.
      expect(await frontdesk.store.get('patient', maya.id)).toBeUndefined();
      expect((await readPosition(frontdesk.db))?.cursor).toBeGreaterThan(0);
      const [held] = await listHeld(frontdesk.db);
      expect(held?.changes?.[0]?.reason).toBe('clock-ahead');
      expect(held?.changes?.[0]?.message).toMatch(/clock about 6 minutes ahead of this one/);

      // The laptop learns that its clock is off, in plain words.
      const told = (await openIssues(laptop.db)).filter((i) => i.kind === 'clock-off');
      expect(told.map((i) => i.message)).toEqual([
        expect.stringMatching(/clock is about 6 minutes ahead of the clinic server’s/),
      ]);

      // Its clock is corrected. Its clock stamps never go back, so its next change is still
      // ahead; it is told that too, and the front desk holds that change as well.
      laptop.wallOffsetMs = 0;
      await laptop.store.update('patient', maya.id, () => ({ phone: '218-555-0142' }));
      expect(await laptop.sync()).toBe(true);
      expect((await openIssues(laptop.db)).map((i) => i.message)).toEqual([
        expect.stringMatching(/was ahead earlier/),
      ]);
      expect(await frontdesk.sync()).toBe(true);
      expect(await frontdesk.store.get('patient', maya.id)).toBeUndefined();

      // Time passes; once the front desk's clock reaches those stamps, everything applies.
      frontdesk.wallOffsetMs = 7 * MINUTE;
      expect(await frontdesk.sync()).toBe(true);
      expect(await frontdesk.store.get('patient', maya.id)).toMatchObject({
        lastName: MAYA.lastName,
        phone: '218-555-0142',
      });
      expect(await listHeld(frontdesk.db)).toEqual([]);
      expect(await laptop.sync()).toBe(true);
      expect(await frontdesk.snapshot()).toEqual(await laptop.snapshot());
      // One clock problem listed on the laptop, however many rounds told it.
      expect((await openIssues(laptop.db)).filter((i) => i.kind === 'clock-off')).toHaveLength(1);
    } finally {
      await laptop.dispose();
      await frontdesk.dispose();
    }
  });

  it('a plugged-in check holds a change until it verifies, and quarantines what never will', async () => {
    const { laptop, frontdesk } = await twoComputers();
    try {
      const maya = await laptop.store.create('patient', MAYA);
      const other = await laptop.store.create('patient', { ...MAYA, lastName: 'Forged' });
      expect(await laptop.sync()).toBe(true);

      let verified = false;
      const membership: IncomingCheck = ({ record }) =>
        record.id === other.id
          ? { verdict: 'quarantine', message: 'Its author is not a member of this clinic.' }
          : verified
            ? { verdict: 'accept' }
            : {
                verdict: 'hold',
                reason: 'membership-unverified',
                message: 'Its author’s membership has not been verified yet.',
              };
      frontdesk.checks = [membership];
      frontdesk.restart();
      expect(await frontdesk.sync()).toBe(true);
      expect(await frontdesk.store.get('patient', maya.id)).toBeUndefined();
      expect((await listHeld(frontdesk.db))[0]?.changes).toEqual([
        expect.objectContaining({ reason: 'membership-unverified', recordId: maya.id }),
      ]);
      expect((await openIssues(frontdesk.db)).map((i) => [i.kind, i.message])).toEqual([
        ['rejected-change', 'Its author is not a member of this clinic.'],
      ]);

      // Still unverified: held again, nothing reported twice.
      expect(await frontdesk.sync()).toBe(true);
      expect(await listHeld(frontdesk.db)).toHaveLength(1);
      expect(await openIssues(frontdesk.db)).toHaveLength(1);

      verified = true;
      expect(await frontdesk.sync()).toBe(true);
      expect(await frontdesk.store.get('patient', maya.id)).toMatchObject({ lastName: 'Okafor' });
      expect(await frontdesk.store.get('patient', other.id)).toBeUndefined();
      expect(await listHeld(frontdesk.db)).toEqual([]);
    } finally {
      await laptop.dispose();
      await frontdesk.dispose();
    }
  });
});
