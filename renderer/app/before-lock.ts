/**
 * Work that must finish before the key is dropped: editors register a flush here so that locking,
 * signing out or auto-lock never loses what was typed.
 */
type Flush = () => Promise<void> | void;
const flushes = new Set<Flush>();

export function registerBeforeLock(flush: Flush): () => void {
  flushes.add(flush);
  return () => flushes.delete(flush);
}

export async function runBeforeLock(): Promise<void> {
  await Promise.allSettled([...flushes].map((f) => f()));
}

/**
 * An editor's save on leaving: before the key is dropped (lock, sign-out), when the page is closed
 * or reloaded, and when the returned cleanup runs (the screen is left). For an effect's cleanup.
 */
export function saveOnLeave(save: Flush): () => void {
  const unregister = registerBeforeLock(save);
  const onHide = () => void save();
  window.addEventListener('pagehide', onHide);
  return () => {
    unregister();
    window.removeEventListener('pagehide', onHide);
    void save();
  };
}
