/**
 * An append-only, checksummed log file with group commit: the embedded store's one file per clinic.
 * A write is acknowledged only after fdatasync, so what was acknowledged survives a crash. Whatever
 * a crash left half-written sits at the tail; on open it fails its length or CRC, is moved aside
 * to `<file>.damaged-<time>` (never deleted) and cut off. Concurrent writers share one write and
 * one fdatasync per batch, which is what makes ~thousands of bundle inserts per second possible.
 *
 * Frame: u32 BE payload length · u32 BE CRC-32 of payload · payload.
 * Payload: u32 BE event-JSON length · event JSON (UTF-8) · attachment bytes (may be empty).
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
   * Opens (or creates) the file, replays every intact event in order, and cuts a torn tail.
   * `onDamagedTail` is told how many bytes were moved aside.
   */
  static async open(
    path: string,
    onEvent: (event: JournalEvent, attachment: AttachmentRef) => void,
    onDamagedTail: (bytes: number, savedAs: string) => void = () => {},
  ): Promise<Journal> {
    await writeFile(path, '', { flag: 'a' });
    const handle = await open(path, 'r+');
    try {
      const { size } = await handle.stat();
      const end = await replay(handle, size, onEvent);
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

/** Replays intact frames; returns the offset just after the last one. */
async function replay(
  handle: FileHandle,
  size: number,
  onEvent: (event: JournalEvent, attachment: AttachmentRef) => void,
): Promise<number> {
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
  let at = 0;
  while (at < size) {
    const head = await bytesAt(at, FRAME_HEAD);
    if (!head) break;
    const payloadLength = head.readUInt32BE(0);
    const crc = head.readUInt32BE(4);
    if (payloadLength < 4 || payloadLength > MAX_PAYLOAD) break;
    const payload = await bytesAt(at + FRAME_HEAD, payloadLength);
    if (!payload || crc32(payload) !== crc) break;
    const jsonLength = payload.readUInt32BE(0);
    if (jsonLength > payloadLength - 4) break;
    let event: JournalEvent;
    try {
      event = JSON.parse(payload.subarray(4, 4 + jsonLength).toString('utf8')) as JournalEvent;
    } catch {
      break;
    }
    const attachmentOffset = at + FRAME_HEAD + 4 + jsonLength;
    onEvent(event, { position: attachmentOffset, length: payloadLength - 4 - jsonLength });
    at += FRAME_HEAD + payloadLength;
  }
  return at;
}
