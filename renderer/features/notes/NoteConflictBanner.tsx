import { Alert, Anchor, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useLocation } from 'wouter';
import type { SessionNote } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { errorMessage, formatDateTime } from '../../app/format';
import {
  conflictsOfNote,
  lastEditedAt,
  resolveNoteConflict,
} from '../../db/notes-repository-conflicts';

/** The start of what a version says, so the author can tell the two apart at a glance. */
const excerpt = (n: SessionNote) => {
  const text = [...Object.values(n.sections), ...n.timeline.map((t) => t.text)]
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
};

type Choice = { keep: 'original' | 'copy' | 'both'; copyId: string; goTo?: string };

/**
 * Shown on a note when sync kept two versions of it (edited on different computers before either
 * saw the other). The author compares them and keeps one; the other is marked entered in error.
 */
export function NoteConflictBanner(props: {
  note: SessionNote;
  notes: readonly SessionNote[];
  patientId: string;
}) {
  const { note, notes, patientId } = props;
  const store = useStore();
  const [, navigate] = useLocation();
  const [choice, setChoice] = useState<Choice>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const conflicts = conflictsOfNote(notes, note.id);
  if (conflicts.length === 0) return null;
  const isAuthor = note.createdBy === store.session.user.id;

  const confirm = async () => {
    if (!choice) return;
    setBusy(true);
    setFailure(undefined);
    try {
      await resolveNoteConflict(store, choice.copyId, choice.keep);
      setChoice(undefined);
      if (choice.goTo) navigate(`/patients/${patientId}/notes/${choice.goTo}`);
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {conflicts.map(({ copy, originalId }) => {
        const thisIsCopy = copy.id === note.id;
        const otherId = thisIsCopy ? originalId : copy.id;
        const other = notes.find((n) => n.id === otherId);
        const original = thisIsCopy ? other : note;
        const originalFinal = original?.status === 'signed';
        return (
          <Alert
            key={copy.id}
            color="orange"
            role="alert"
            title="Two versions of this note were edited on different computers"
          >
            <Stack gap="xs">
              <Text size="sm">
                Both versions were kept so that nothing typed is lost.{' '}
                {other
                  ? `This version was last edited ${formatDateTime(lastEditedAt(note))}; the other ${formatDateTime(lastEditedAt(other))}${
                      other.status === 'signed' ? ', and it is signed' : ''
                    }.`
                  : 'The other version has not reached this computer yet; sync to see it.'}{' '}
                Compare them, then keep one: the other is marked entered in error and stays in the
                chart.
              </Text>
              {other && excerpt(other) && (
                <Text size="sm" fs="italic">
                  The other version reads: “{excerpt(other)}”
                </Text>
              )}
              {other && (
                <Anchor href={`#/patients/${patientId}/notes/${otherId}`} size="sm" fw={600}>
                  Open the other version
                </Anchor>
              )}
              {isAuthor ? (
                <Group gap="xs">
                  {!(thisIsCopy && originalFinal) && note.status !== 'entered-in-error' && (
                    <Button
                      size="xs"
                      onClick={() =>
                        setChoice({ keep: thisIsCopy ? 'copy' : 'original', copyId: copy.id })
                      }
                    >
                      Keep this version
                    </Button>
                  )}
                  {other && !(!thisIsCopy && originalFinal) && (
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() =>
                        setChoice({
                          keep: thisIsCopy ? 'original' : 'copy',
                          copyId: copy.id,
                          goTo: otherId,
                        })
                      }
                    >
                      Keep the other version
                    </Button>
                  )}
                  {originalFinal && (
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => setChoice({ keep: 'both', copyId: copy.id })}
                    >
                      Keep both as separate notes
                    </Button>
                  )}
                </Group>
              ) : (
                <Text size="sm" c="dimmed">
                  Only the note&apos;s author can choose which version to keep.
                </Text>
              )}
            </Stack>
          </Alert>
        );
      })}
      <Modal
        opened={!!choice}
        onClose={() => setChoice(undefined)}
        title={choice?.keep === 'both' ? 'Keep both versions?' : 'Keep one version?'}
        centered
      >
        <Stack gap="md">
          <Text size="sm">
            {choice?.keep === 'both'
              ? 'The two versions become separate notes. The signed one stays as it is; the other stays a draft for you to finish or mark in error.'
              : choice?.goTo
                ? 'The other version is kept. This one is marked entered in error: it stays in the chart, flagged, and is not relied on.'
                : 'This version is kept. The other one is marked entered in error: it stays in the chart, flagged, and is not relied on.'}
          </Text>
          {failure && (
            <Alert color="red" role="alert">
              {failure}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setChoice(undefined)}>
              Cancel
            </Button>
            <Button loading={busy} onClick={() => void confirm()}>
              Confirm
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
