/**
 * An append-only, checksummed log file with group commit: the embedded store's one file per clinic.
 * A write is acknowledged only after fdatasync, so what was acknowledged survives a crash. Whatever
 * a crash left half-written sits at the tail; on open it fails its length or CRC, is moved aside
 * to `<file>.damaged-<time>` (never deleted) and cut off. Concurrent writers share one write and
 * one fdatasync per batch, which is what makes ~thousands of bundle inserts per second possible.
 *
 * A frame that fails its check with intact frames after it is not a torn tail but damage (a bad
 * disk sector, a flipped bit): only that frame is set aside — skipped on every replay, left in
 * place in the file, copied once to `<file>.damaged-at-<offset>` — and every frame after it is
 * replayed (issue 14 finding 6). The next frame is found at the damaged frame's own length when
 * that still leads to an intact frame, else by scanning forward for the first offset where an
 * intact frame (length, CRC-32, JSON event) starts and is followed by another one or the end.
 *
 * Frame: u32 BE payload length · u32 BE CRC-32 of payload · payload.
 * Payload: u32 BE event-JSON length · event JSON (UTF-8) · attachment bytes (may be empty).
 * The format is unchanged since the first version: every frame has always carried its CRC.
 */
import { type FileHandle, open, writeFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { StoreUnavailableError } from './store';

export type JournalEvent = { t: string } & Record<string, unknown>;

/** Where a replayed or appended event's attachment lives in the file. */
export type AttachmentRef = { position: number; length: number };

export type JournalTx = {
  /** Adds an event to this batch; returns where its attachment will sit in the file. */
  append(event: JournalEvent, attachment?: Uint8Array): AttachmentRef;
  /** Runs once the whole batch is durable. */
  afterCommit(fn: () => void): void;
};

/** Decides and applies one change. Throw before appending to refuse without writing anything. */
export type JournalOp<R> = (tx: JournalTx) => R;

const FRAME_HEAD = 8;
const MAX_PAYLOAD = 64 * 1024 * 1024;
const READ_WINDOW = 4 * 1024 * 1024;

/** A damaged stretch in the middle of a journal, skipped on replay. */
export type FrameDamage = { at: number; bytes: number; savedAs: string; firstSeen: boolean };

type Queued = {
  op: JournalOp<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
};

export class Journal {
  private queue: Queued[] = [];
  private flushing: Promise<void> | undefined;
  private broken: Error | undefined;

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    private size: number,
  ) {}

  /**
   * Opens (or creates) the file, replays every intact event in order, sets damaged frames aside
   * and cuts a torn tail. `onDamagedTail` is told how many bytes were moved aside;
   * `onDamagedFrame` each damaged stretch in the middle (`firstSeen`: its copy was made now).
   */
  static async open(
    path: string,
    onEvent: (event: JournalEvent, attachment: AttachmentRef) => void,
    onDamagedTail: (bytes: number, savedAs: string) => void = () => {},
    onDamagedFrame: (damage: FrameDamage) => void = () => {},
  ): Promise<Journal> {
    await writeFile(path, '', { flag: 'a' });
    const handle = await open(path, 'r+');
    try {
      const { size } = await handle.stat();
      const { end, damaged } = await replay(handle, size, onEvent);
      for (const { at, length } of damaged) {
        const stretch = Buffer.alloc(length);
        await handle.read(stretch, 0, length, at);
        const savedAs = `${path}.damaged-at-${at}`;
        let firstSeen = true;
        try {
          await writeFile(savedAs, stretch, { flag: 'wx', flush: true });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
          firstSeen = false;
        }
        onDamagedFrame({ at, bytes: length, savedAs, firstSeen });
      }
      if (end < size) {
        const tail = Buffer.alloc(size - end);
        await handle.read(tail, 0, tail.length, end);
        const savedAs = `${path}.damaged-${Date.now()}`;
        await writeFile(savedAs, tail, { flush: true });
        await handle.truncate(end);
        await handle.datasync();
        onDamagedTail(tail.length, savedAs);
      }
      return new Journal(handle, path, end);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  /** Queues an operation; resolves with its result once its batch is on disk. */
  submit<R>(op: JournalOp<R>): Promise<R> {
    if (this.broken) return Promise.reject(this.unavailable());
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ op, resolve: resolve as (v: unknown) => void, reject });
      this.flushing ??= this.flush();
    });
  }

  async read({ position, length }: AttachmentRef): Promise<Uint8Array> {
    if (this.broken) throw this.unavailable();
    const out = new Uint8Array(length);
    const { bytesRead } = await this.handle.read(out, 0, length, position);
    if (bytesRead !== length)
      throw new StoreUnavailableError('A stored bundle is shorter than recorded.');
    return out;
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.handle.close();
  }

  private unavailable() {
    return new StoreUnavailableError(
      `The clinic data file ${this.path} could not be written (${this.broken?.message}). ` +
        'Nothing acknowledged was lost. Fix the disk (space, permissions), then restart the server.',
    );
  }

  private async flush(): Promise<void> {
    // Yield once: `flushing` is assigned before this body runs, and same-tick submits share a batch.
    await Promise.resolve();
    try {
      while (this.queue.length > 0 && !this.broken) await this.flushBatch(this.queue.splice(0));
      for (const item of this.queue.splice(0)) item.reject(this.unavailable());
    } finally {
      this.flushing = undefined;
    }
  }

  private async flushBatch(batch: Queued[]): Promise<void> {
    const chunks: Buffer[] = [];
    const commits: (() => void)[] = [];
    let end = this.size;
    const tx: JournalTx = {
      append: (event, attachment) => {
        const frame = encodeFrame(event, attachment);
        chunks.push(frame.bytes);
        const ref = { position: end + frame.attachmentOffset, length: attachment?.length ?? 0 };
        end += frame.bytes.length;
        return ref;
      },
      afterCommit: (fn) => commits.push(fn),
    };
    const outcomes = batch.map((item) => {
      const mark = { chunks: chunks.length, commits: commits.length, end };
      try {
        return { ok: true as const, value: item.op(tx) };
      } catch (error) {
        // A refused operation leaves nothing behind in this batch.
        chunks.length = mark.chunks;
        commits.length = mark.commits;
        end = mark.end;
        return { ok: false as const, error };
      }
    });
    if (chunks.length > 0) {
      try {
        await this.handle.writev(chunks, this.size);
        await this.handle.datasync();
      } catch (e) {
        this.broken = e instanceof Error ? e : new Error(String(e));
        await this.handle.truncate(this.size).catch(() => {});
        for (const item of batch) item.reject(this.unavailable());
        return;
      }
      this.size = end;
    }
    for (const fn of commits) fn();
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}

function encodeFrame(event: JournalEvent, attachment?: Uint8Array) {
  const json = Buffer.from(JSON.stringify(event), 'utf8');
  const payloadLength = 4 + json.length + (attachment?.length ?? 0);
  if (payloadLength > MAX_PAYLOAD) throw new RangeError('A journal entry is too large.');
  const bytes = Buffer.alloc(FRAME_HEAD + payloadLength);
  bytes.writeUInt32BE(payloadLength, 0);
  bytes.writeUInt32BE(json.length, FRAME_HEAD);
  json.copy(bytes, FRAME_HEAD + 4);
  if (attachment) bytes.set(attachment, FRAME_HEAD + 4 + json.length);
  bytes.writeUInt32BE(crc32(bytes.subarray(FRAME_HEAD)), 4);
  return { bytes, attachmentOffset: FRAME_HEAD + 4 + json.length };
}

type Frame = { event: JournalEvent; attachment: AttachmentRef; next: number };

/**
 * Replays intact frames, skipping damaged ones that have intact frames after them; returns the
 * offset just after the last intact frame (what follows it is a torn tail) and the skipped stretches.
 */
async function replay(
  handle: FileHandle,
  size: number,
  onEvent: (event: JournalEvent, attachment: AttachmentRef) => void,
): Promise<{ end: number; damaged: { at: number; length: number }[] }> {
  let window = Buffer.alloc(0);
  let windowStart = 0;
  const bytesAt = async (position: number, length: number): Promise<Buffer | undefined> => {
    if (position + length > size) return undefined;
    const inWindow = position >= windowStart && position + length <= windowStart + window.length;
    if (!inWindow) {
      window = Buffer.alloc(Math.min(Math.max(length, READ_WINDOW), size - position));
      await handle.read(window, 0, window.length, position);
      windowStart = position;
    }
    return window.subarray(position - windowStart, position - windowStart + length);
  };
  /** The intact frame at `at`, if one starts there. */
  const frameAt = async (at: number): Promise<Frame | undefined> => {
    const head = await bytesAt(at, FRAME_HEAD + 5);
    if (!head) {
      // The smallest frame has a 4-byte JSON length and at least `{}`; anything shorter is torn.
      return undefined;
    }
    const payloadLength = head.readUInt32BE(0);
    const crc = head.readUInt32BE(4);
    if (payloadLength < 6 || payloadLength > MAX_PAYLOAD) return undefined;
    if (head[FRAME_HEAD + 4] !== 0x7b) return undefined; // every event is a JSON object
    const payload = await bytesAt(at + FRAME_HEAD, payloadLength);
    if (!payload || crc32(payload) !== crc) return undefined;
    const jsonLength = payload.readUInt32BE(0);
    if (jsonLength > payloadLength - 4) return undefined;
    let event: JournalEvent;
    try {
      event = JSON.parse(payload.subarray(4, 4 + jsonLength).toString('utf8')) as JournalEvent;
    } catch {
      return undefined;
    }
    if (typeof event !== 'object' || event === null || typeof event.t !== 'string')
      return undefined;
    const attachment = {
      position: at + FRAME_HEAD + 4 + jsonLength,
      length: payloadLength - 4 - jsonLength,
    };
    return { event, attachment, next: at + FRAME_HEAD + payloadLength };
  };
  /** Where intact frames resume after damage at `at`, or undefined: nothing intact follows. */
  const resume = async (at: number): Promise<number | undefined> => {
    // The damaged frame's own length, when it still leads to an intact frame.
    const head = await bytesAt(at, FRAME_HEAD);
    if (head) {
      const claimed = at + FRAME_HEAD + head.readUInt32BE(0);
      if (claimed < size && claimed > at + FRAME_HEAD && (await frameAt(claimed))) return claimed;
    }
    // Else the first offset where an intact frame starts and is followed by another or the end.
    for (let p = at + 1; p + FRAME_HEAD + 5 <= size; p++) {
      const frame = await frameAt(p);
      if (frame && (frame.next === size || (await frameAt(frame.next)))) return p;
    }
    return undefined;
  };
  const damaged: { at: number; length: number }[] = [];
  let at = 0;
  while (at < size) {
    const frame = await frameAt(at);
    if (frame) {
      onEvent(frame.event, frame.attachment);
      at = frame.next;
      continue;
    }
    const next = await resume(at);
    if (next === undefined) break;
    damaged.push({ at, length: next - at });
    at = next;
  }
  return { end: at, damaged };
}
