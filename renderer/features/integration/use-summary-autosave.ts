/**
 * The integration summary's autosave, the same promise as notes (use-note-autosave.ts): a change
 * is written at most SAVE_AFTER_MS after it was typed, and at once on blur, lock, page close and
 * leaving the screen. The first save of a new summary creates its record (a blank form creates
 * nothing); later saves go over the version this editor last wrote, and a save from another window
 * stops autosave until the user chooses which version to keep. Nothing typed leaves the screen.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { IntegrationSummary, IntegrationSummaryBody } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { registerBeforeLock } from '../../app/before-lock';
import { errorMessage } from '../../app/format';
import { saveIntegrationSummary, saveIntegrationSummaryDraft } from '../../db/notes-repository';
import { ConcurrentEditError } from '../../db/record-store';

const SAVE_AFTER_MS = 150;

export type SummaryFields = Omit<
  IntegrationSummaryBody,
  'patientId' | 'encounterId' | 'dosingEncounterId'
>;
export type SummarySaveState = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'failed';

export function useSummaryAutosave(input: {
  summary: IntegrationSummary | undefined;
  initial: SummaryFields;
  empty: SummaryFields;
  /** The full record body for what is on screen (patient and dosing session added). */
  bodyOf: (fields: SummaryFields) => IntegrationSummaryBody;
  onCreated: (record: IntegrationSummary) => void;
  readOnly: boolean;
}) {
  const store = useStore();
  const [fields, setFields] = useState(input.initial);
  const [state, setState] = useState<SummarySaveState>('saved');
  const [failure, setFailure] = useState<string>();
  const latest = useRef(input.initial);
  const savedJson = useRef(JSON.stringify(input.summary ? input.initial : input.empty));
  const id = useRef(input.summary?.id);
  const basedOn = useRef(input.summary?.updatedAt);
  const conflict = useRef(false);
  const timer = useRef<number | undefined>(undefined);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const props = useRef(input);
  props.current = input;

  const saveOnce = useCallback(async () => {
    if (conflict.current || props.current.readOnly) return;
    const snapshot = latest.current;
    const json = JSON.stringify(snapshot);
    if (json === savedJson.current) return;
    setState('saving');
    try {
      const body = props.current.bodyOf(snapshot);
      const saved =
        id.current && basedOn.current
          ? await saveIntegrationSummaryDraft(store, id.current, basedOn.current, body)
          : await saveIntegrationSummary(store, undefined, body);
      const created = !id.current;
      id.current = saved.id;
      basedOn.current = saved.updatedAt;
      savedJson.current = json;
      setFailure(undefined);
      setState(JSON.stringify(latest.current) === json ? 'saved' : 'unsaved');
      if (created) props.current.onCreated(saved);
    } catch (e) {
      if (e instanceof ConcurrentEditError) {
        conflict.current = true;
        setState('conflict');
      } else {
        setFailure(errorMessage(e));
        setState('failed');
      }
    }
  }, [store]);

  const flush = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    chain.current = chain.current.then(saveOnce);
    return chain.current;
  }, [saveOnce]);

  const set = useCallback(
    <K extends keyof SummaryFields>(key: K, value: SummaryFields[K]) => {
      const next = { ...latest.current, [key]: value };
      latest.current = next;
      setFields(next);
      if (conflict.current) return;
      setState('unsaved');
      // The first unsaved change starts the clock; further typing does not push it back.
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
    const current = id.current ? await store.get('integration-summary', id.current) : undefined;
    if (!current) return;
    basedOn.current = current.updatedAt;
    conflict.current = false;
    savedJson.current = '';
    await flush();
  }, [store, flush]);

  /** After a conflict: drop what is on screen and show the other window's version. */
  const takeTheirs = useCallback(async () => {
    const current = id.current ? await store.get('integration-summary', id.current) : undefined;
    if (!current) return;
    const theirs = { ...props.current.empty, ...pickFields(current, props.current.empty) };
    latest.current = theirs;
    savedJson.current = JSON.stringify(theirs);
    basedOn.current = current.updatedAt;
    conflict.current = false;
    setFields(theirs);
    setState('saved');
  }, [store]);

  return { fields, set, flush, state, failure, keepMine, takeTheirs, id };
}

/** Only the editable fields of a stored summary, in the editor's shape. */
export function pickFields(summary: IntegrationSummary, empty: SummaryFields): SummaryFields {
  const out = { ...empty } as Record<string, unknown>;
  for (const k of Object.keys(empty)) out[k] = summary[k as keyof IntegrationSummary];
  out.nextAppointment = summary.nextAppointment;
  return out as SummaryFields;
}
