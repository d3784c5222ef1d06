/**
 * When each device was last seen (any request answered) and last synced (a pull answered), for
 * the administrator's list of computers. Kept in memory and written to the store at most every
 * FLUSH_MS and when the server stops, so a busy clinic costs one small write per device per
 * interval, not one per request. A listing overlays the times not yet written.
 */
import type { DeviceActivity, DeviceRecord, Store } from './store/store';

const FLUSH_MS = 30_000;

export class ActivityTracker {
  private pending = new Map<string, DeviceActivity>();
  private timer?: ReturnType<typeof setInterval>;

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush().catch(() => {}), FLUSH_MS);
    this.timer.unref?.();
  }

  note(deviceId: string, synced: boolean): void {
    const at = this.now().toISOString();
    const had = this.pending.get(deviceId);
    this.pending.set(deviceId, {
      deviceId,
      lastSeenAt: at,
      lastSyncAt: synced ? at : (had?.lastSyncAt ?? null),
    });
  }

  with(device: DeviceRecord): DeviceRecord {
    const p = this.pending.get(device.deviceId);
    if (!p) return device;
    return { ...device, lastSeenAt: p.lastSeenAt, lastSyncAt: p.lastSyncAt ?? device.lastSyncAt };
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.store.recordActivity(batch);
    } catch (e) {
      // Not written: keep them for the next flush, unless newer times arrived meanwhile.
      for (const a of batch) if (!this.pending.has(a.deviceId)) this.pending.set(a.deviceId, a);
      throw e;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush().catch(() => {});
  }
}
