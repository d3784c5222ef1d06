/**
 * The dose record's one autosave (issue 15, deliverable 5): every editable field is written to the
 * record shortly after it is typed and before lock, page close or leaving the screen, so the
 * safety checks, mg/kg and discharge judge what is on screen without a Save button. A value the
 * repository refuses stays on screen with the refusal at its field, and is kept (encrypted, in
 * the drafts table) with anything else not yet in the record, to be offered back after a reload.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { DoseRecord } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { useRecordAutosave } from '../../app/use-record-autosave';
import { useValueDraft } from '../../app/use-value-draft';
import {
  type DoseField,
  type DoseForm,
  DoseFieldsRefused,
  doseFormOf,
  saveDoseForm,
} from './dose-record-form';

export function useDoseAutosave(dose: DoseRecord, readOnly: boolean) {
  const store = useStore();
  const stored = useMemo(() => doseFormOf(dose), [dose]);
  const autosave = useRecordAutosave<DoseForm>({
    stored,
    readOnly,
    save: (form) => saveDoseForm(store, dose.id, form),
  });
  const { value, change } = autosave;

  // Only the fields that differ from the record are kept: after a reload they are put back over
  // what the record holds then, and saved (or refused again, with the reason) as if just typed.
  const unsaved = useMemo(() => {
    const out: Partial<DoseForm> = {};
    for (const k of Object.keys(value) as DoseField[])
      if (JSON.stringify(value[k]) !== JSON.stringify(stored[k]))
        Object.assign(out, { [k]: value[k] });
    return out;
  }, [value, stored]);
  const restore = useCallback(
    (kept: Partial<DoseForm>) => change((form) => ({ ...form, ...kept })),
    [change],
  );
  const draft = useValueDraft(`dose-record:${dose.id}`, unsaved, restore, !readOnly);
  const allSaved = Object.keys(unsaved).length === 0;
  const clearDraft = useRef(draft.clear);
  clearDraft.current = draft.clear;
  const hadUnsaved = useRef(false);
  // Once all of it is in the record, the kept copy goes (not on opening: it may be what is offered).
  useEffect(() => {
    if (!allSaved) hadUnsaved.current = true;
    else if (hadUnsaved.current) void clearDraft.current({});
  }, [allSaved]);

  const set = useCallback(
    (patch: Partial<DoseForm>) => change((form) => ({ ...form, ...patch })),
    [change],
  );
  const refused: Partial<Record<DoseField, string>> =
    autosave.error instanceof DoseFieldsRefused ? autosave.error.refused : {};
  return {
    form: value,
    set,
    state: autosave.state,
    flush: autosave.flush,
    refused,
    /** When a kept draft of unsaved fields was put back (after a reload, crash or lock). */
    restoredAt: draft.restoredAt,
    /** A failure not tied to one field (the store itself): shown beside the status. */
    failure: autosave.error instanceof DoseFieldsRefused ? undefined : autosave.failure,
  };
}

export type DoseAutosave = ReturnType<typeof useDoseAutosave>;
