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
