/**
 * Screens that show key state (the key versions, the recovery-key reminder) listen for this
 * window event; whatever changes keys (a rotation, a new recovery key) fires it, so they update
 * at once however far apart they are in the tree.
 */
export const KEYS_CHANGED = 'kat:keys-changed';

export const announceKeysChanged = () => globalThis.dispatchEvent(new Event(KEYS_CHANGED));

export function onKeysChanged(listener: () => void): () => void {
  globalThis.addEventListener(KEYS_CHANGED, listener);
  return () => globalThis.removeEventListener(KEYS_CHANGED, listener);
}
