import { Alert, Badge, Button, Card, Group, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { NoteTemplateBody, SessionNote } from '../../../shared/model';
import { unchangedCopiedSections } from '../../../shared/rules/copy-forward';
import type { SessionClock } from '../../../shared/rules/visits';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { useStore } from '../../app/app-state';
import { formatDate } from '../../app/format';
import { signNote } from '../../db/notes-repository';
import { LiveCharting } from './LiveCharting';
import { type SaveState, useNoteAutosave } from './use-note-autosave';

const SAVE_WORDS: Record<SaveState, { label: string; color: string }> = {
  saved: { label: 'Saved', color: 'teal' },
  unsaved: { label: 'Saving…', color: 'gray' },
  saving: { label: 'Saving…', color: 'gray' },
  conflict: { label: 'Not saved — changed in another window', color: 'red' },
  failed: { label: 'Not saved', color: 'red' },
};

/** A draft note: template sections, live charting where the template has it, autosave, sign. */
export function NoteEditor({
  note,
  template,
  clock,
}: {
  note: SessionNote;
  template: NoteTemplateBody;
  clock: SessionClock;
}) {
  const store = useStore();
  const { draft, change, flush, state, failure, keepMine, takeTheirs, updatedElsewhere } =
    useNoteAutosave(note);
  const [signing, setSigning] = useState(false);
  const save = SAVE_WORDS[state];
  const blur = () => void flush();
  // Copy forward (shared/rules/copy-forward.ts): the note it started from, and the sections still
  // exactly as copied, marked until someone edits them.
  const source = useLiveQuery(
    async () => (note.copiedFrom ? ((await store.get('note', note.copiedFrom)) ?? null) : null),
    [store, note.copiedFrom],
  );
  const unchanged = new Set(source ? unchangedCopiedSections(draft, source) : []);

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Badge
          variant="light"
          color={save.color}
          size="lg"
          role="status"
          aria-live="polite"
          aria-label={`Draft: ${save.label}`}
        >
          {save.label}
        </Badge>
        <Button
          onClick={() => void flush().then(() => setSigning(true))}
          disabled={state === 'conflict'}
        >
          Sign note
        </Button>
      </Group>

      {state === 'conflict' && (
        <Alert color="red" role="alert" title="This note was changed in another window">
          <Stack gap="xs">
            <Text size="sm">
              This draft was saved in another window, or changed by sync from another computer,
              while you were typing. Your text is still here and has not been saved. Choose which
              version to keep.
            </Text>
            <Group gap="xs">
              <Button size="xs" color="red" onClick={() => void keepMine()}>
                Keep my version
              </Button>
              <Button size="xs" variant="default" onClick={() => void takeTheirs()}>
                Show the other version
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {updatedElsewhere && state === 'saved' && (
        <Text size="sm" c="dimmed" role="status">
          Updated with changes saved elsewhere (another window, or sync from another computer): this
          is what is saved now.
        </Text>
      )}
      {state === 'failed' && failure && (
        <Alert color="red" role="alert" title="Not saved">
          {failure}
        </Alert>
      )}

      {source && (
        <Alert color="orange" title="Copied forward" role="note">
          This draft started from the note signed{' '}
          {formatDate(source.signature?.at ?? source.updatedAt)}
          {source.signature ? ` by ${source.signature.byName}` : ''}.{' '}
          {unchanged.size
            ? `${unchanged.size} section${unchanged.size === 1 ? ' is' : 's are'} still exactly that note’s text (marked below): make sure each describes this session before you sign.`
            : 'Every copied section has been edited since.'}
        </Alert>
      )}

      <TextInput
        label="Title"
        value={draft.title}
        onChange={(e) => {
          const title = e.currentTarget.value;
          change((d) => ({ ...d, title }));
        }}
        onBlur={blur}
      />

      {template.liveCharting && (
        <LiveCharting
          noteId={note.id}
          clock={clock}
          entries={draft.timeline}
          quickTags={template.quickTags}
          onChange={(timeline) => change((d) => ({ ...d, timeline }))}
          onBlur={blur}
        />
      )}

      <Card withBorder padding="lg">
        <Stack gap="md">
          {template.sections.map((s) => (
            <Textarea
              key={s.key}
              label={s.label}
              description={
                unchanged.has(s.key) ? (
                  <>
                    <Text span size="xs" fw={700} c="red.9">
                      Copied from the last note, not changed yet.
                    </Text>{' '}
                    {s.hint}
                  </>
                ) : (
                  s.hint
                )
              }
              autosize
              minRows={3}
              value={draft.sections[s.key] ?? ''}
              onChange={(e) => {
                const text = e.currentTarget.value;
                change((d) => ({ ...d, sections: { ...d.sections, [s.key]: text } }));
              }}
              onBlur={blur}
            />
          ))}
        </Stack>
      </Card>

      <ConfirmPassphraseDialog
        opened={signing}
        title="Sign this note"
        explanation="Signing stamps your name, the time and a fingerprint of the text, and locks the note. Corrections after signing are addenda."
        confirmLabel="Sign note"
        onClose={() => setSigning(false)}
        onConfirmed={async () => {
          await signNote(store, note.id);
        }}
      />
    </Stack>
  );
}
