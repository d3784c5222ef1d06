/**
 * Recovery after a server outage (issue 14 point 7): the clinic server is away long enough for the
 * retry wait to reach a minute, then comes back. The background sync notices within seconds — not
 * at the end of the minute — and a patient added during the outage reaches the other computer.
 * The network between computer and server is a gate in front of the real server (it answers 502
 * while down, as a reverse proxy does); time is a fake clock, the round is the engine's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMaya } from '../../renderer/db/test-support';
import { probeServer } from '../../renderer/sync/server-client';
import { SyncScheduler, type Timers, outcomeOf } from '../../renderer/sync/sync-scheduler';
import { type NetworkGate, startNetworkGate } from '../adversary/network-gate';
import { Device, newClinic, startServer } from './harness';

/** Timers on a clock that moves only when told; each callback's work is awaited (real I/O). */
class FakeClock implements Timers {
  now = 0;
  private next = 1;
  private readonly due = new Map<number, { at: number; fn: () => unknown }>();
  set(fn: () => unknown, ms: number) {
    const id = this.next++;
    this.due.set(id, { at: this.now + ms, fn });
    return id;
  }
  clear(handle: unknown) {
    this.due.delete(handle as number);
  }
  /** Moves time forward, running what falls due in order. */
  async advance(ms: number) {
    const end = this.now + ms;
    for (;;) {
      const [id, first] = [...this.due].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (id === undefined || !first || first.at > end) break;
      this.due.delete(id);
      this.now = first.at;
      await first.fn();
    }
    this.now = end;
  }
}

let server: Awaited<ReturnType<typeof startServer>>;
let gate: NetworkGate;
beforeAll(async () => {
  server = await startServer();
  gate = await startNetworkGate(server.url);
});
afterAll(async () => {
  await gate?.close();
  await server?.close();
});

describe('after a server outage', () => {
  it('sync resumes within seconds of the server answering again, not after the minute of backoff', async () => {
    const { clinic, enroll } = await newClinic(server.url);
    const laptop = await Device.create('laptop', clinic, gate.url, enroll);
    const desk = await Device.create('desk', clinic, server.url, enroll);
    const clock = new FakeClock();
    const outcomes: string[] = [];
    const scheduler = new SyncScheduler({
      timers: clock,
      round: async () => {
        try {
          await laptop.engine.syncOnce();
          outcomes.push('ok');
          return 'ok';
        } catch (e) {
          outcomes.push(outcomeOf(e));
          return outcomeOf(e);
        }
      },
      probe: () => probeServer(gate.url),
    });
    try {
      await scheduler.runNow();
      expect(outcomes).toEqual(['ok']);

      gate.setDown(true);
      // Four minutes of outage: the wait between rounds grows to a minute (10, 20, 40, 60, 60 s).
      await clock.advance(4 * 60_000);
      expect(outcomes.filter((o) => o === 'unreachable').length).toBeGreaterThanOrEqual(5);
      const patient = await addMaya(laptop.store);

      gate.setDown(false);
      const upAt = clock.now;
      for (let i = 0; i < 10 && (await laptop.db.outbox.count()) > 0; i++)
        await clock.advance(1_000);
      expect(await laptop.db.outbox.count()).toBe(0);
      expect(clock.now - upAt).toBeLessThanOrEqual(5_000);
      await desk.sync();
      expect(await desk.db.records.get(patient.id)).toBeDefined();
    } finally {
      scheduler.stop();
      await laptop.dispose();
      await desk.dispose();
    }
  }, 60_000);
});
