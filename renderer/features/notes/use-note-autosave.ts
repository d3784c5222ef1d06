/**
 * The note editor's autosave. A change is written to the encrypted store at most SAVE_AFTER_MS
 * after it was typed, even while typing goes on (a pure debounce would never save a fast typist),
 * and at once on blur, lock, page close and leaving the screen. Saves run one at a time, each over
 * the version the previous one wrote; if another window saved in between, autosave stops and the
 * user chooses what to keep. Nothing typed is ever dropped from the screen.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SessionNote } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { registerBeforeLock } from '../../app/before-lock';
import { errorMessage } from '../../app/format';
import { type NoteDraftChange, saveNoteDraft } from '../../db/notes-repository';
import { ConcurrentEditError } from '../../db/record-store';

/** Below the 300 ms promise, leaving time for encryption and the IndexedDB write. */
const SAVE_AFTER_MS = 150;

export type NoteDraft = Required<NoteDraftChange>;
export type SaveState = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'failed';

const pick = (n: SessionNote): NoteDraft => ({
  title: n.title,
  sections: n.sections,
  timeline: n.timeline,
});

export function useNoteAutosave(note: SessionNote) {
  const store = useStore();
  const [draft, setDraft] = useState<NoteDraft>(() => pick(note));
  const [state, setState] = useState<SaveState>('saved');
  const [failure, setFailure] = useState<string>();
  const latest = useRef(draft);
  const savedJson = useRef(JSON.stringify(draft));
  const basedOn = useRef(note.updatedAt);
  const conflict = useRef(false);
  const timer = useRef<number | undefined>(undefined);
  const chain = useRef<Promise<void>>(Promise.resolve());

  const saveOnce = useCallback(async () => {
    if (conflict.current) return;
    const snapshot = latest.current;
    const json = JSON.stringify(snapshot);
    if (json === savedJson.current) return;
    setState('saving');
    try {
      const saved = await saveNoteDraft(store, note.id, basedOn.current, snapshot);
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
  }, [store, note.id]);

  /** Save now (queued behind a save already running). */
  const flush = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    chain.current = chain.current.then(saveOnce);
    return chain.current;
  }, [saveOnce]);

  const change = useCallback(
    (edit: (d: NoteDraft) => NoteDraft) => {
      const next = edit(latest.current);
      latest.current = next;
      setDraft(next);
      if (conflict.current) return;
      setState('unsaved');
      // Not reset by further keystrokes: the first unsaved character starts the clock.
      timer.current ??= window.setTimeout(() => void flush(), SAVE_AFTER_MS);
    },
    [flush],
  );

  useEffect(() => {
    const unregister = registerBeforeLock(flush);
    const onHide = () => void flush();
    window.addEventListener('pagehide', onHide);
    return () => {
      unregister();
      window.removeEventListener('pagehide', onHide);
      void flush(); // leaving the screen
    };
  }, [flush]);

  /** After a conflict: keep what is on screen, saved over the other window's version. */
  const keepMine = useCallback(async () => {
    const current = await store.get('note', note.id);
    if (!current) return;
    basedOn.current = current.updatedAt;
    conflict.current = false;
    savedJson.current = '';
    await flush();
  }, [store, note.id, flush]);

  /** After a conflict: drop what is on screen and show the other window's version. */
  const takeTheirs = useCallback(async () => {
    const current = await store.get('note', note.id);
    if (!current) return;
    const theirs = pick(current);
    latest.current = theirs;
    savedJson.current = JSON.stringify(theirs);
    basedOn.current = current.updatedAt;
    conflict.current = false;
    setDraft(theirs);
    setState('saved');
  }, [store, note.id]);

  return { draft, change, flush, state, failure, keepMine, takeTheirs };
}
