import { Badge } from '@mantine/core';
import type { RecordSaveState } from '../../app/use-record-autosave';

const SAVE_WORDS: Record<RecordSaveState, { label: string; color: string }> = {
  saved: { label: 'Saved', color: 'teal' },
  unsaved: { label: 'Saving…', color: 'gray' },
  saving: { label: 'Saving…', color: 'gray' },
  failed: { label: 'Not saved — see the marked field', color: 'red' },
};

/** Where the dose record's one autosave stands, announced politely to screen readers. */
export function DoseSaveBadge({ state, ml }: { state: RecordSaveState; ml?: string }) {
  const save = SAVE_WORDS[state];
  return (
    <Badge
      variant="light"
      color={save.color}
      size="lg"
      ml={ml}
      role="status"
      aria-live="polite"
      aria-label={`Dose record: ${save.label}`}
      style={{ textTransform: 'none' }}
    >
      {save.label}
    </Badge>
  );
}
