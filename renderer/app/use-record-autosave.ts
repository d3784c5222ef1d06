/**
 * Autosave for a record edited field by field while other actions write to it too (the dose
 * record: vitals, overrides and rate changes land on the same record while its fields are typed).
 * The timing is the editors' (use-autosave.ts): a change is written at most SAVE_AFTER_MS after it
 * was typed, and at once on lock, page close and leaving the screen. Unlike a note there is no
 * whole-text version to guard: each save writes only the fields that differ from the record (the
 * repository merges them), so another action's write is never a conflict. A field changed
 * elsewhere (another window, sync) shows at once, unless it was typed here and is not saved yet.
 *
 * A save the repository refuses (a gate) leaves the typed value on screen, the state 'failed' and
 * the refusal in `failure`; the caller keeps it in a draft and shows the message at the field.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { canonicalJson } from '../../shared/crypto/hash';
import { saveOnLeave } from './before-lock';
import type { SaveState } from './use-autosave';
import { errorMessage } from './format';

const SAVE_AFTER_MS = 150;

export type RecordSaveState = Exclude<SaveState, 'conflict'>;

export function useRecordAutosave<T extends Record<string, unknown>>(input: {
  /** The editable fields as the record holds them now (re-derived on every render). */
  stored: T;
  /**
   * Writes the fields of `value` that differ from the record and returns the record's fields as
   * they now are (a field the record does not take yet may still differ); throws when any is
   * refused.
   */
  save: (value: T) => Promise<T>;
  readOnly?: boolean;
}) {
  const [value, setValue] = useState<T>(input.stored);
  const [state, setState] = useState<RecordSaveState>('saved');
  const [failure, setFailure] = useState<unknown>();
  const latest = useRef(input.stored);
  /** What the record holds, in the editor's shape. */
  const storedJson = useRef(canonicalJson(input.stored));
  const storedWas = useRef(input.stored);
  const inFlight = useRef(false);
  /** What the last save that went through was given (all of it that the record takes is in). */
  const lastSaved = useRef<string | undefined>(undefined);
  const timer = useRef<number | undefined>(undefined);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const props = useRef(input);
  props.current = input;

  const saveOnce = useCallback(async () => {
    if (props.current.readOnly) return;
    const snapshot = latest.current;
    const json = canonicalJson(snapshot);
    if (json === storedJson.current || json === lastSaved.current) {
      setState('saved');
      return;
    }
    setState('saving');
    inFlight.current = true;
    try {
      const after = await props.current.save(snapshot);
      storedJson.current = canonicalJson(after);
      storedWas.current = after;
      lastSaved.current = json;
      setFailure(undefined);
      setState(canonicalJson(latest.current) === json ? 'saved' : 'unsaved');
    } catch (e) {
      setFailure(e);
      setState('failed');
    } finally {
      inFlight.current = false;
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
      setState('unsaved');
      // Not reset by further keystrokes: the first unsaved change starts the clock.
      timer.current ??= window.setTimeout(() => void flush(), SAVE_AFTER_MS);
    },
    [flush],
  );

  useEffect(() => saveOnLeave(flush), [flush]);

  // The record changed (a save from here, another window, sync): the editor shows it, except for
  // the fields typed here and not yet saved, which stay and are saved over it.
  const nowStored = canonicalJson(input.stored);
  const storedValue = useRef(input.stored);
  storedValue.current = input.stored;
  useEffect(() => {
    if (nowStored === storedJson.current) return;
    const was = storedWas.current;
    const now = storedValue.current;
    storedJson.current = nowStored;
    storedWas.current = now;
    const mine = latest.current;
    const merged = { ...mine };
    for (const key of Object.keys(now) as (keyof T)[])
      if (canonicalJson(mine[key]) === canonicalJson(was[key])) merged[key] = now[key];
    if (canonicalJson(merged) === canonicalJson(mine)) return;
    latest.current = merged;
    setValue(merged);
    if (!inFlight.current && canonicalJson(merged) === nowStored) setState('saved');
  }, [nowStored]);

  return {
    value,
    change,
    flush,
    state,
    /** Why the last save was refused, in words (undefined after a save went through). */
    failure: failure === undefined ? undefined : errorMessage(failure),
    /** The refusal itself, for a caller that places it at the field it concerns. */
    error: failure,
  };
}
