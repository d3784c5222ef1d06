/**
 * Two windows, two versions (issue 7, storage failures). When a newer KAT Chart opens the store,
 * IndexedDB asks every older connection to let go ('versionchange'); until they do, the newer one
 * waits ('blocked'). Dexie's default simply closes, mid-typing. Here the older window first saves
 * what is being typed (the encrypted form drafts, as before a lock), then closes and says why; the
 * newer one says what it is waiting for. A transaction either committed or did not, so nothing
 * already saved is lost either way.
 */
import type Dexie from 'dexie';

export type StorageNotice = { id: string; title: string; message: string };

export type UpgradeWatchDeps = {
  /** Saves unsaved input (the before-lock flushes); given at most `flushTimeoutMs`. */
  flush: () => Promise<void>;
  notify: (notice: StorageNotice) => void;
  flushTimeoutMs?: number;
};

export const UPGRADED_ELSEWHERE: StorageNotice = {
  id: 'storage-upgraded-elsewhere',
  title: 'KAT Chart was updated in another window',
  message:
    'This window has stopped using the chart store so the update can finish. What you were typing was kept. Reload this window to continue; everything saved is safe.',
};

export const DELETED_ELSEWHERE: StorageNotice = {
  id: 'storage-deleted-elsewhere',
  title: 'The chart store was removed in another window',
  message:
    'Another window is removing KAT Chart’s data from this computer, so this window has stopped. Reload it to see the result.',
};

export const WAITING_FOR_OLD_WINDOW: StorageNotice = {
  id: 'storage-blocked',
  title: 'Waiting for another KAT Chart window',
  message:
    'KAT Chart is open in another window or tab with an older version. Close it (or reload it) and this window will continue by itself. Nothing saved was lost.',
};

/** Starts watching; returns a function that stops. Register before `db.open()`. */
export function watchUpgrades(db: Dexie, deps: UpgradeWatchDeps): () => void {
  const timeout = deps.flushTimeoutMs ?? 3000;
  let closing = false;
  const onVersionChange = (event: IDBVersionChangeEvent) => {
    if (closing) return false;
    closing = true;
    void (async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        deps.flush().catch(() => undefined),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeout))),
      ]);
      clearTimeout(timer);
      // No silent reopen: a write after this would fail, and the message tells the person why.
      db.close({ disableAutoOpen: true });
      deps.notify(event.newVersion ? UPGRADED_ELSEWHERE : DELETED_ELSEWHERE);
    })();
    return false; // Dexie's own handler would close at once, before the flush
  };
  const onBlocked = (event: IDBVersionChangeEvent) => {
    if (event.newVersion && event.newVersion > event.oldVersion)
      deps.notify(WAITING_FOR_OLD_WINDOW);
  };
  db.on('versionchange', onVersionChange);
  db.on('blocked', onBlocked);
  return () => {
    db.on('versionchange').unsubscribe(onVersionChange);
    db.on('blocked').unsubscribe(onBlocked);
  };
}
