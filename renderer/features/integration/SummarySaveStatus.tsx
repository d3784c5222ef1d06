import { Alert, Badge, Button, Group, Stack, Text } from '@mantine/core';
import type { SummarySaveState } from './use-summary-autosave';

const SAVE_WORDS: Record<SummarySaveState, { label: string; color: string }> = {
  saved: { label: 'Saved', color: 'teal' },
  unsaved: { label: 'Saving…', color: 'gray' },
  saving: { label: 'Saving…', color: 'gray' },
  conflict: { label: 'Not saved — changed in another window', color: 'red' },
  failed: { label: 'Not saved', color: 'red' },
};

/** Where the summary's autosave stands, announced politely to screen readers. */
export function SummarySaveBadge({ state }: { state: SummarySaveState }) {
  const save = SAVE_WORDS[state];
  return (
    <Badge
      variant="light"
      color={save.color}
      size="lg"
      role="status"
      aria-live="polite"
      aria-label={`Summary: ${save.label}`}
    >
      {save.label}
    </Badge>
  );
}

/** Autosave stopped because another window saved first; nothing on screen is dropped. */
export function SummaryConflictAlert(props: { onKeepMine: () => void; onTakeTheirs: () => void }) {
  return (
    <Alert color="red" role="alert" title="This summary was changed in another window">
      <Stack gap="xs">
        <Text size="sm">
          Someone saved this summary in another window or on another device while you were typing.
          Your text is still here and has not been saved. Choose which version to keep.
        </Text>
        <Group gap="xs">
          <Button size="xs" color="red" onClick={props.onKeepMine}>
            Keep my version
          </Button>
          <Button size="xs" variant="default" onClick={props.onTakeTheirs}>
            Show the other version
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
