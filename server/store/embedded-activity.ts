/**
 * When each device was last seen and last synced, for the embedded store: a small
 * `activity.json` beside the journals, rewritten whole (atomically) at each flush of
 * server/activity.ts — not journal events, which would grow every journal with every request.
 * Losing it costs only "last seen" times; nothing else reads it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './embedded-meta';
import type { DeviceActivity, DeviceRecord } from './store';

type Times = { lastSeenAt: string; lastSyncAt: string | null };

const later = (a: string | null | undefined, b: string | null | undefined) =>
  !a ? (b ?? null) : !b ? a : a > b ? a : b;

export class ActivityFile {
  private constructor(
    private readonly path: string,
    private readonly times: Map<string, Times>,
  ) {}

  static async open(dir: string): Promise<ActivityFile> {
    const path = join(dir, 'activity.json');
    let times = new Map<string, Times>();
    try {
      times = new Map(Object.entries(JSON.parse(await readFile(path, 'utf8')) as object));
    } catch {
      // none yet, or unreadable: start without times
    }
    return new ActivityFile(path, times);
  }

  with(device: DeviceRecord): DeviceRecord {
    const t = this.times.get(device.deviceId);
    return t ? { ...device, lastSeenAt: t.lastSeenAt, lastSyncAt: t.lastSyncAt } : device;
  }

  async record(activity: DeviceActivity[]): Promise<void> {
    for (const a of activity) {
      const had = this.times.get(a.deviceId);
      this.times.set(a.deviceId, {
        lastSeenAt: later(had?.lastSeenAt, a.lastSeenAt)!,
        lastSyncAt: later(had?.lastSyncAt, a.lastSyncAt),
      });
    }
    await writeFileAtomic(this.path, JSON.stringify(Object.fromEntries(this.times)));
  }
}
