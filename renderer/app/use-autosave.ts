/**
 * The editors' autosave (notes, integration summaries). A change is written to the encrypted
 * store at most SAVE_AFTER_MS after it was typed, even while typing goes on (a pure debounce would
 * never save a fast typist), and at once on blur, lock, page close and leaving the screen. Saves
 * run one at a time, each over the version the previous one wrote; if another window saved in
 * between, autosave stops and the user chooses what to keep. Nothing typed leaves the screen.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ConcurrentEditError } from '../db/record-store';
import { saveOnLeave } from './before-lock';
import { errorMessage } from './format';

/** Below the 300 ms promise, leaving time for encryption and the IndexedDB write. */
const SAVE_AFTER_MS = 150;

export type SaveState = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'failed';

export type AutosaveTarget<T> = {
  /**
   * Writes `value` over the stored version `basedOn` (undefined: nothing stored yet) and returns
   * the version written; throws ConcurrentEditError when another window saved in between.
   */
  save: (value: T, basedOn: string | undefined) => Promise<{ updatedAt: string }>;
  /** The stored version as it is now, in the editor's shape (after a conflict). */
  reload: () => Promise<{ value: T; updatedAt: string } | undefined>;
  readOnly?: boolean;
};

/**
 * `initial` is what the editor shows first, `stored` what the store holds of it (the same, or a
 * blank form for a record not created yet, so a blank form creates nothing), `basedOn` its version.
 * `target` may change every render; the latest one is used.
 */
export function useAutosave<T>(input: {
  initial: T;
  stored: T;
  basedOn: string | undefined;
  target: AutosaveTarget<T>;
}) {
  const [value, setValue] = useState<T>(input.initial);
  const [state, setState] = useState<SaveState>('saved');
  const [failure, setFailure] = useState<string>();
  const latest = useRef(input.initial);
  const savedJson = useRef(JSON.stringify(input.stored));
  const basedOn = useRef(input.basedOn);
  const conflict = useRef(false);
  const timer = useRef<number | undefined>(undefined);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const target = useRef(input.target);
  target.current = input.target;

  const saveOnce = useCallback(async () => {
    if (conflict.current || target.current.readOnly) return;
    const snapshot = latest.current;
    const json = JSON.stringify(snapshot);
    if (json === savedJson.current) return;
    setState('saving');
    try {
      const saved = await target.current.save(snapshot, basedOn.current);
      basedOn.current = saved.updatedAt;
      savedJson.current = json;
      setFailure(undefined);
      setState(JSON.stringify(latest.current) === json ? 'saved' : 'unsaved');
    } catch (e) {
      if (e instanceof ConcurrentEditError) {
        conflict.current = true;
        setState('conflict');
      } else {
        setFailure(errorMessage(e));
        setState('failed');
      }
    }
  }, []);

  /** Save now (queued behind a save already running). */
  const flush = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    chain.current = chain.current.then(saveOnce);
    return chain.current;
  }, [saveOnce]);

  const change = useCallback(
    (edit: (v: T) => T) => {
      const next = edit(latest.current);
      latest.current = next;
      setValue(next);
      if (conflict.current) return;
      setState('unsaved');
      // Not reset by further keystrokes: the first unsaved character starts the clock.
      timer.current ??= window.setTimeout(() => void flush(), SAVE_AFTER_MS);
    },
    [flush],
  );

  useEffect(() => saveOnLeave(flush), [flush]);

  /** After a conflict: keep what is on screen, saved over the other window's version. */
  const keepMine = useCallback(async () => {
    const current = await target.current.reload();
    if (!current) return;
    basedOn.current = current.updatedAt;
    conflict.current = false;
    savedJson.current = '';
    await flush();
  }, [flush]);

  /** After a conflict: drop what is on screen and show the other window's version. */
  const takeTheirs = useCallback(async () => {
    const current = await target.current.reload();
    if (!current) return;
    latest.current = current.value;
    savedJson.current = JSON.stringify(current.value);
    basedOn.current = current.updatedAt;
    conflict.current = false;
    setValue(current.value);
    setState('saved');
  }, []);

  return { value, change, flush, state, failure, keepMine, takeTheirs };
}
