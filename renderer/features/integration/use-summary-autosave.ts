/**
 * The integration summary's autosave: the shared editor autosave (app/use-autosave.ts). The first
 * save of a new summary creates its record (a blank form creates nothing); later saves go over the
 * version this editor last wrote.
 */
import { useRef } from 'react';
import type { IntegrationSummary, IntegrationSummaryBody } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { type AutosaveTarget, type SaveState, useAutosave } from '../../app/use-autosave';
import { saveIntegrationSummary, saveIntegrationSummaryDraft } from '../../db/notes-repository';

export type SummaryFields = Omit<
  IntegrationSummaryBody,
  'patientId' | 'encounterId' | 'dosingEncounterId'
>;
export type SummarySaveState = SaveState;

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
  const id = useRef(input.summary?.id);
  const target: AutosaveTarget<SummaryFields> = {
    readOnly: input.readOnly,
    save: async (fields, basedOn) => {
      const body = input.bodyOf(fields);
      const saved =
        id.current && basedOn
          ? await saveIntegrationSummaryDraft(store, id.current, basedOn, body)
          : await saveIntegrationSummary(store, undefined, body);
      const created = !id.current;
      id.current = saved.id;
      if (created) input.onCreated(saved);
      return saved;
    },
    reload: async () => {
      const current = id.current ? await store.get('integration-summary', id.current) : undefined;
      if (!current) return undefined;
      return { value: pickFields(current, input.empty), updatedAt: current.updatedAt };
    },
  };
  const { value, change, ...rest } = useAutosave({
    initial: input.initial,
    stored: input.summary ? input.initial : input.empty,
    basedOn: input.summary?.updatedAt,
    target,
  });
  const set = <K extends keyof SummaryFields>(key: K, v: SummaryFields[K]) =>
    change((fields) => ({ ...fields, [key]: v }));
  return { fields: value, set, ...rest, id };
}

/** Only the editable fields of a stored summary, in the editor's shape. */
export function pickFields(summary: IntegrationSummary, empty: SummaryFields): SummaryFields {
  const out = { ...empty } as Record<string, unknown>;
  for (const k of Object.keys(empty)) out[k] = summary[k as keyof IntegrationSummary];
  out.nextAppointment = summary.nextAppointment;
  return out as SummaryFields;
}
