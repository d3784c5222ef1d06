/**
 * Hybrid logical clock (Kulkarni et al., 2014). A timestamp is `wallMs:counter:node`, fixed width,
 * so plain string comparison orders timestamps; the node id breaks exact ties deterministically.
 * The server's sequence orders bundles; the HLC only orders concurrent edits of one record.
 * A remote timestamp too far ahead of our wall clock is refused with a plain-words error instead of
 * dragging every later edit into the future (Actual Budget's opaque failure with a laptop one hour
 * off, actualbudget/actual#3786).
 */
export type Hlc = string;

export const HLC_PATTERN = /^\d{15}:\d{5}:[0-9a-z]{1,32}$/;
const MAX_COUNTER = 99_999;
/** Default tolerated drift between devices: 5 minutes. */
export const DEFAULT_MAX_DRIFT_MS = 5 * 60_000;

export type HlcParts = { wallMs: number; counter: number; node: string };

export function formatHlc({ wallMs, counter, node }: HlcParts): Hlc {
  return `${String(wallMs).padStart(15, '0')}:${String(counter).padStart(5, '0')}:${node}`;
}

export function parseHlc(hlc: Hlc): HlcParts {
  if (!HLC_PATTERN.test(hlc)) throw new Error(`Not a clock timestamp: ${hlc}`);
  const [wall, counter, node] = hlc.split(':') as [string, string, string];
  return { wallMs: Number(wall), counter: Number(counter), node };
}

export function compareHlc(a: Hlc, b: Hlc): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class ClockDriftError extends Error {
  constructor(
    readonly driftMs: number,
    readonly maxDriftMs: number,
  ) {
    const minutes = Math.round(driftMs / 60_000);
    super(
      `Another device's clock is about ${minutes} minute${minutes === 1 ? '' : 's'} ahead of this ` +
        `computer's. Check that the date and time are set automatically on both, then sync again.`,
    );
    this.name = 'ClockDriftError';
  }
}

export class HybridClock {
  private last: HlcParts;

  constructor(
    readonly node: string,
    private readonly wallClock: () => number = Date.now,
    last?: Hlc,
    readonly maxDriftMs: number = DEFAULT_MAX_DRIFT_MS,
  ) {
    if (!/^[0-9a-z]{1,32}$/.test(node))
      throw new Error('A clock node id is 1–32 lowercase letters/digits');
    this.last = last ? parseHlc(last) : { wallMs: 0, counter: 0, node };
  }

  /** The latest timestamp issued or seen; persist it so a restart never goes backwards. */
  get latest(): Hlc {
    return formatHlc({ ...this.last, node: this.node });
  }

  /** A timestamp for a local event, strictly greater than every one issued or received. */
  now(): Hlc {
    const wall = this.wallClock();
    if (wall > this.last.wallMs) this.last = { wallMs: wall, counter: 0, node: this.node };
    else this.last = this.bump(this.last.wallMs, this.last.counter + 1);
    return formatHlc(this.last);
  }

  /** This computer's wall clock as the HLC reads it (injected in tests), ms since epoch. */
  wallNow(): number {
    return this.wallClock();
  }

  /** How far a timestamp is ahead of this computer's wall clock, in ms (negative: behind). */
  aheadOfWallClock(hlc: Hlc): number {
    return parseHlc(hlc).wallMs - this.wallClock();
  }

  /** Merge a timestamp received from another device; returns the new local time. */
  receive(remote: Hlc): Hlc {
    const r = parseHlc(remote);
    const wall = this.wallClock();
    if (r.wallMs - wall > this.maxDriftMs)
      throw new ClockDriftError(r.wallMs - wall, this.maxDriftMs);
    const maxWall = Math.max(wall, this.last.wallMs, r.wallMs);
    let counter: number;
    if (maxWall === this.last.wallMs && maxWall === r.wallMs)
      counter = Math.max(this.last.counter, r.counter) + 1;
    else if (maxWall === this.last.wallMs) counter = this.last.counter + 1;
    else if (maxWall === r.wallMs) counter = r.counter + 1;
    else counter = 0;
    this.last = this.bump(maxWall, counter);
    return formatHlc(this.last);
  }

  private bump(wallMs: number, counter: number): HlcParts {
    // Counter overflow (100k events in one millisecond) borrows the next millisecond.
    if (counter > MAX_COUNTER) return { wallMs: wallMs + 1, counter: 0, node: this.node };
    return { wallMs, counter, node: this.node };
  }
}

/** Wall-clock milliseconds of a timestamp, for display. */
export function hlcTime(hlc: Hlc): number {
  return parseHlc(hlc).wallMs;
}
