/**
 * The editors' autosave (notes, integration summaries). A change is written to the encrypted
 * store at most SAVE_AFTER_MS after it was typed, even while typing goes on (a pure debounce would
 * never save a fast typist), and at once on blur, lock, page close and leaving the screen. Saves
 * run one at a time, each over the version the previous one wrote; if another window saved in
 * between, autosave stops and the user chooses what to keep. Nothing typed leaves the screen.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { canonicalJson } from '../../shared/crypto/hash';
import { compareHlc } from '../../shared/sync/hlc';
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
  /** Set when what is stored changed under the editor (sync merged another computer's edit). */
  const [updatedElsewhere, setUpdatedElsewhere] = useState(false);
  const latest = useRef(input.initial);
  const savedJson = useRef(canonicalJson(input.stored));
  /** The value of the save under way, if any (its own write is not a change made elsewhere). */
  const inFlight = useRef<string | undefined>(undefined);
  const basedOn = useRef(input.basedOn);
  const conflict = useRef(false);
  const timer = useRef<number | undefined>(undefined);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const target = useRef(input.target);
  target.current = input.target;

  const saveOnce = useCallback(async () => {
    if (conflict.current || target.current.readOnly) return;
    const snapshot = latest.current;
    const json = canonicalJson(snapshot);
    if (json === savedJson.current) return;
    setState('saving');
    inFlight.current = json;
    try {
      const saved = await target.current.save(snapshot, basedOn.current);
      basedOn.current = saved.updatedAt;
      savedJson.current = json;
      setFailure(undefined);
      setState(canonicalJson(latest.current) === json ? 'saved' : 'unsaved');
    } catch (e) {
      if (e instanceof ConcurrentEditError) {
        conflict.current = true;
        setState('conflict');
      } else {
        setFailure(errorMessage(e));
        setState('failed');
      }
    } finally {
      inFlight.current = undefined;
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

  // What is stored changed under the editor: sync merged another computer's edit into this draft
  // (possibly under the same clock, so the content is compared, not only the version), or another
  // window saved. With nothing unsaved here the editor shows what is stored at once; with unsaved
  // typing it stops saving and asks, since saving now would overwrite the other edit unseen.
  const storedJson = canonicalJson(input.stored);
  const storedAt = input.basedOn;
  const storedValue = useRef(input.stored);
  storedValue.current = input.stored;
  useEffect(() => {
    if (storedAt === undefined || basedOn.current === undefined) return;
    if (storedJson === savedJson.current || storedJson === inFlight.current) return;
    // An older render of a version this editor has since saved over: not news.
    if (compareHlc(storedAt, basedOn.current) < 0) return;
    const unsaved =
      canonicalJson(latest.current) !== savedJson.current || inFlight.current !== undefined;
    if (conflict.current) return;
    if (unsaved) {
      conflict.current = true;
      window.clearTimeout(timer.current);
      timer.current = undefined;
      setState('conflict');
      return;
    }
    latest.current = storedValue.current;
    savedJson.current = storedJson;
    basedOn.current = storedAt;
    setValue(storedValue.current);
    setUpdatedElsewhere(true);
    setState('saved');
  }, [storedJson, storedAt]);

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
    savedJson.current = canonicalJson(current.value);
    basedOn.current = current.updatedAt;
    conflict.current = false;
    setValue(current.value);
    setState('saved');
  }, []);

  return { value, change, flush, state, failure, keepMine, takeTheirs, updatedElsewhere };
}
