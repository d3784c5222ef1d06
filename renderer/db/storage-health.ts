/**
 * How the local store is doing: persistent storage (so the browser does not evict charts under
 * disk pressure), how much space is used, and what to tell a person when IndexedDB refuses a write.
 * A refused write changes nothing (the transaction aborts as a whole), so every message can say
 * that what was saved before is still there.
 */
import Dexie from 'dexie';

export type StorageStatus = {
  /** false when the browser offers no StorageManager (very old or locked-down browsers). */
  supported: boolean;
  persisted: boolean;
  usageBytes?: number;
  quotaBytes?: number;
};

type StorageManagerLike = {
  persisted?: () => Promise<boolean>;
  persist?: () => Promise<boolean>;
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
};

const manager = (): StorageManagerLike | undefined =>
  (globalThis.navigator as { storage?: StorageManagerLike } | undefined)?.storage;

export async function storageStatus(storage = manager()): Promise<StorageStatus> {
  if (!storage?.estimate) return { supported: false, persisted: false };
  const [persisted, estimate] = await Promise.all([
    storage.persisted?.().catch(() => false) ?? false,
    storage.estimate().catch(() => ({}) as { usage?: number; quota?: number }),
  ]);
  return { supported: true, persisted, usageBytes: estimate.usage, quotaBytes: estimate.quota };
}

/** Asks the browser to keep this app's data under storage pressure; true when granted. */
export async function requestPersistentStorage(storage = manager()): Promise<boolean> {
  if (!storage?.persist) return false;
  try {
    return (await storage.persisted?.()) || (await storage.persist());
  } catch {
    return false;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** The names IndexedDB and Dexie give failures, including one wrapped inside an abort. */
function failureNames(e: unknown): string[] {
  const names: string[] = [];
  let current = e as { name?: unknown; inner?: unknown } | undefined;
  for (let depth = 0; current && depth < 4; depth++) {
    if (typeof current.name === 'string') names.push(current.name);
    current = current.inner as typeof current;
  }
  return names;
}

/**
 * Plain words for a storage failure, or undefined when the error is not one (a rule said no, a
 * form was wrong: those already carry their own message).
 */
export function storageFailureMessage(e: unknown): string | undefined {
  const names = failureNames(e);
  if (names.includes('QuotaExceededError'))
    return 'This computer is out of storage space for KAT Chart, so the last change was not saved. Everything saved before is safe. Free some disk space, then save again.';
  if (names.some((n) => ['VersionError', 'BlockedError', 'UpgradeError'].includes(n)))
    return 'KAT Chart is open in another window with an older version. Close the other windows, then reload. Nothing saved was lost.';
  if (names.includes('DatabaseClosedError'))
    return 'The local chart store was closed (another window may have updated KAT Chart). Reload the app; nothing saved was lost.';
  if (
    names.some((n) =>
      ['AbortError', 'TransactionInactiveError', 'UnknownError', 'InvalidStateError'].includes(n),
    )
  )
    return 'The last change could not be written to this computer’s chart store, so it was not saved. Everything saved before is safe. Try again; if it keeps happening, reload the app.';
  return undefined;
}

/**
 * storageFailureMessage for errors that came from the chart store only (Dexie, or IndexedDB's own
 * quota error), so that, say, a cancelled download's AbortError is not called a failed save.
 */
export function chartStoreFailureMessage(e: unknown): string | undefined {
  const fromStore =
    e instanceof Dexie.DexieError ||
    (typeof DOMException !== 'undefined' &&
      e instanceof DOMException &&
      e.name === 'QuotaExceededError');
  return fromStore ? storageFailureMessage(e) : undefined;
}
