/**
 * When background sync runs its next round: soon after a local change, every INTERVAL otherwise,
 * on demand; after a failure the wait doubles up to MAX_BACKOFF. While the server does not answer,
 * a cheap probe (GET /v1/health) asks every PROBE_MS, and the moment it answers a round runs: the
 * backoff spares the server full rounds, not the clinic its changes (issue 14 point 7: changes
 * made around an outage took about a minute to arrive). The round itself and the timers are
 * given, so tests drive it with a fake clock in front of a real server.
 */
import { SyncHttpError } from './server-client';

export const INTERVAL_MS = 5_000;
export const MAX_BACKOFF_MS = 60_000;
export const PROBE_MS = 2_000;

/** `unreachable`: the server did not answer (no connection, or a proxy saying it is away). */
export type RoundOutcome = 'ok' | 'unreachable' | 'failed';

export type Timers = {
  set(fn: () => unknown, ms: number): unknown;
  clear(handle: unknown): void;
};

export const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type SchedulerDeps = {
  round: () => Promise<RoundOutcome>;
  /** Does the server answer? (a cheap request; `probeServer`) */
  probe?: () => Promise<boolean>;
  timers?: Timers;
};

/** What a failed round means for retrying: a server that did not answer, or anything else. */
export function outcomeOf(error: unknown): RoundOutcome {
  if (!(error instanceof SyncHttpError)) return 'failed';
  // 502–504: a reverse proxy answering for a server that is away.
  return error.unreachable || [502, 503, 504].includes(error.status) ? 'unreachable' : 'failed';
}

export class SyncScheduler {
  private timer: unknown;
  private probeTimer: unknown;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failures = 0;
  private readonly timers: Timers;

  constructor(private readonly deps: SchedulerDeps) {
    this.timers = deps.timers ?? realTimers;
  }

  /** The next round in `ms` (replacing a later one). */
  schedule(ms: number): void {
    if (this.stopped) return;
    this.timers.clear(this.timer);
    this.timer = this.timers.set(() => this.runNow(), ms);
  }

  /** One round now, or the one under way. Never throws. */
  runNow(): Promise<void> {
    this.running ??= this.once().finally(() => (this.running = undefined));
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    this.timers.clear(this.timer);
    this.timers.clear(this.probeTimer);
  }

  private async once(): Promise<void> {
    this.timers.clear(this.probeTimer);
    let outcome: RoundOutcome;
    try {
      outcome = await this.deps.round();
    } catch {
      outcome = 'failed';
    }
    if (outcome === 'ok') this.failures = 0;
    else this.failures++;
    this.schedule(
      outcome === 'ok' ? INTERVAL_MS : Math.min(MAX_BACKOFF_MS, INTERVAL_MS * 2 ** this.failures),
    );
    if (outcome === 'unreachable') this.probeSoon();
  }

  private probeSoon(): void {
    const { probe } = this.deps;
    if (!probe || this.stopped) return;
    this.timers.clear(this.probeTimer);
    this.probeTimer = this.timers.set(async () => {
      if (this.stopped || this.running) return;
      if (await probe().catch(() => false)) await this.runNow();
      else this.probeSoon();
    }, PROBE_MS);
  }
}
