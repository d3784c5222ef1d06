import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * Stops a child started with `detached: true` (its own process group) and resolves only when
 * every process of that group is gone. The child's own 'exit' is not enough: a launcher (npx,
 * tsx) can exit on SIGTERM while the server it started is still flushing its journal, and
 * removing the data folder then failed with ENOTEMPTY (CI, 6 Dec).
 */
export async function stopProcessGroup(child: ChildProcess, graceMs = 10_000): Promise<void> {
  const pgid = child.pid;
  if (!pgid) return;
  signal(pgid, 'SIGTERM');
  const killAt = Date.now() + graceMs;
  // A zombie whose parent never reaps it still counts as a member; give up 5 s after SIGKILL.
  const giveUpAt = killAt + 5_000;
  let killed = false;
  while (groupAlive(pgid) && Date.now() < giveUpAt) {
    if (!killed && Date.now() > killAt) {
      signal(pgid, 'SIGKILL');
      killed = true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Removes a test's scratch folder once its processes are gone. */
export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}

function signal(pgid: number, sig: NodeJS.Signals) {
  try {
    process.kill(-pgid, sig);
  } catch {
    // the group is already gone
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
