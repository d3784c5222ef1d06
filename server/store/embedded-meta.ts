/**
 * The embedded store's data-folder identity: a lock so two servers never write one folder, and
 * meta.json with the epoch (SYNC.md rule 8). The epoch is bound to the inodes of the folder and of
 * an `epoch-anchor` file that is created once and never written again, and to that file's change
 * time in nanoseconds. A restore (copying a backup into place, tar, rsync, a volume snapshot
 * mounted elsewhere) makes a new anchor file: a freed inode number can be handed out again, but
 * a change time cannot be copied, so the server starts a new epoch by itself; `--restored`
 * forces one for restores that keep the very same file. A false
 * alarm only costs a re-offer; a missed restore would cost data, so the check leans cautious.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type EpochRecord = { epoch: string; since: string; reason: string };

export type DataMeta = {
  format: 1;
  createdAt: string;
  epoch: string;
  epochSince: string;
  setupToken: string;
  /** Absent in folders made before setup tokens were one-use (embedded.ts spends those). */
  setupSpentAt?: string | null;
  setupRenewedAt?: string | null;
  binding: string;
  history: EpochRecord[];
};

export const newEpoch = () => randomBytes(16).toString('hex');
export const newSetupToken = () => randomBytes(24).toString('base64url');

/** Writes a small file so that a crash leaves either the old or the new content, never a mix. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data, { mode: 0o600, flush: true });
  await rename(tmp, path);
  await fsyncDir(join(path, '..'));
}

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function currentBinding(dir: string): Promise<string> {
  const anchor = join(dir, 'epoch-anchor');
  try {
    await writeFile(anchor, 'Do not edit or copy over: the server epoch is bound to this file.\n', {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const [d, a] = await Promise.all([stat(dir), stat(anchor, { bigint: true })]);
  return `${d.dev}:${d.ino}:${a.ino}:${a.ctimeNs}`;
}

/** Folders bound before the change time was part of the binding (three parts) keep their epoch. */
const sameOlderBinding = (stored: string, current: string) =>
  stored.split(':').length === 3 && current.startsWith(`${stored}:`);

export const saveMeta = (dir: string, meta: DataMeta) =>
  writeFileAtomic(join(dir, 'meta.json'), JSON.stringify(meta, null, 2));

/** The same data folder under a new epoch: computers re-offer everything they hold. */
export function withNewEpoch(meta: DataMeta, reason: string, at: string): DataMeta {
  const epoch = newEpoch();
  return {
    ...meta,
    epoch,
    epochSince: at,
    history: [...meta.history, { epoch, since: at, reason }],
  };
}

/** Reads or creates meta.json; rotates the epoch after a restore. */
export async function loadMeta(
  dir: string,
  restored: boolean,
  now: () => Date,
  log: (message: string) => void,
): Promise<DataMeta> {
  const path = join(dir, 'meta.json');
  const binding = await currentBinding(dir);
  const at = now().toISOString();
  let meta: DataMeta;
  try {
    meta = JSON.parse(await readFile(path, 'utf8')) as DataMeta;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`${path} is unreadable; restore it from a backup and start with --restored.`);
    const epoch = newEpoch();
    meta = {
      format: 1,
      createdAt: at,
      epoch,
      epochSince: at,
      setupToken: newSetupToken(),
      setupSpentAt: null,
      setupRenewedAt: null,
      binding,
      history: [{ epoch, since: at, reason: 'created' }],
    };
    await writeFileAtomic(path, JSON.stringify(meta, null, 2));
    return meta;
  }
  const moved = meta.binding !== binding;
  if (!restored && moved && sameOlderBinding(meta.binding, binding)) {
    meta = { ...meta, binding };
    await writeFileAtomic(path, JSON.stringify(meta, null, 2));
  } else if (restored || moved) {
    const reason = restored ? 'restored (operator flag)' : 'data folder copied or restored';
    const epoch = newEpoch();
    meta = {
      ...meta,
      epoch,
      epochSince: at,
      binding,
      history: [...meta.history, { epoch, since: at, reason }],
    };
    await writeFileAtomic(path, JSON.stringify(meta, null, 2));
    log(`New server epoch: ${reason}. Devices will re-offer what they hold.`);
  }
  return meta;
}

const heldLocks = new Set<string>();

/** One server per data folder: a second one would interleave writes. */
export async function acquireLock(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, 'server.lock');
  if (heldLocks.has(path)) throw lockedError(dir, process.pid);
  try {
    await writeFile(path, String(process.pid), { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const pid = Number((await readFile(path, 'utf8')).trim());
    if (pid && pid !== process.pid && isAlive(pid)) throw lockedError(dir, pid);
    // Left behind by a server that crashed: take it over.
    await writeFile(path, String(process.pid), { mode: 0o600 });
  }
  heldLocks.add(path);
  return async () => {
    heldLocks.delete(path);
    await unlink(path).catch(() => {});
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(dir: string, pid: number) {
  return new Error(
    `Another KAT Chart server (process ${pid}) is using ${dir}. Stop it first, or set ` +
      'CLINIC_DATA_DIR to another folder.',
  );
}
