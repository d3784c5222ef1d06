import { Alert, Badge, Button, Card, Divider, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { Addendum, NoteTemplateBody, SessionNote } from '../../../shared/model';
import type { CoSignatureState } from '../../../shared/rules/co-signature';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { formatDateTime, formatTime } from '../../app/format';
import { useRecordsOfKind } from '../../app/use-records';
import { CoSignaturePanel } from './CoSignature';
import { AddendumDialog, EnteredInErrorDialog } from './NoteDialogs';
import { useNotePdf } from './use-note-pdf';

/** A note that can no longer be edited here: the text as signed, then its addenda beneath. */
export function NoteView(props: {
  note: SessionNote;
  template: NoteTemplateBody;
  addenda: Addendum[];
  coSignature: CoSignatureState;
}) {
  const { note, template, addenda } = props;
  const store = useStore();
  const [dialog, setDialog] = useState<'addendum' | 'error' | null>(null);
  const inError = note.status === 'entered-in-error';
  const mayWrite = can(store.roles, 'write', 'note');
  const users = useRecordsOfKind('user');
  const pdf = useNotePdf({ note, template, addenda, coSignature: props.coSignature, users });
  const userName = (id: string) => users?.find((u) => u.id === id)?.displayName ?? 'a former user';

  return (
    <Stack gap="md">
      {note.status === 'draft' && (
        <Alert color="yellow" title="Someone else's draft">
          Only its author can edit this draft.
        </Alert>
      )}
      {inError && note.enteredInError && (
        <Alert color="red" title="Entered in error" role="note">
          Marked in error by {userName(note.enteredInError.by)},{' '}
          {formatDateTime(note.enteredInError.at)}: {note.enteredInError.reason}. It stays in the
          chart but must not be relied on.
        </Alert>
      )}
      {note.signature && (
        <Group justify="space-between">
          <Text size="sm">
            Signed by <strong>{note.signature.byName}</strong>, {formatDateTime(note.signature.at)}
          </Text>
          <Group gap="xs">
            <Button
              variant="default"
              loading={pdf.busy}
              disabled={!pdf.ready}
              onClick={() => void pdf.save()}
            >
              Save as PDF
            </Button>
            {mayWrite && !inError && (
              <Group gap="xs">
                <Button variant="default" onClick={() => setDialog('error')}>
                  Mark entered in error
                </Button>
                <Button onClick={() => setDialog('addendum')}>Add addendum</Button>
              </Group>
            )}
          </Group>
        </Group>
      )}
      {pdf.dialog}
      {pdf.failure && (
        <Alert color="red" role="alert" title="The PDF was not made">
          {pdf.failure}
        </Alert>
      )}
      <CoSignaturePanel note={note} state={props.coSignature} users={users} />

      <Card withBorder padding="lg" style={inError ? { textDecoration: 'line-through' } : {}}>
        <Stack gap="md">
          {note.timeline.length > 0 && (
            <Stack gap={4}>
              <Title order={3} size="h5">
                Live charting
              </Title>
              <Stack gap={2} component="ol" m={0} p={0} aria-label="Charted lines">
                {note.timeline.map((t) => (
                  <Text key={t.id} component="li" size="sm" style={{ listStyle: 'none' }}>
                    <Text span ff="monospace" fw={600}>
                      {formatTime(t.at)}
                    </Text>{' '}
                    — {t.text}
                  </Text>
                ))}
              </Stack>
            </Stack>
          )}
          {template.sections.map((s) => (
            <Stack key={s.key} gap={2}>
              <Title order={3} size="h5">
                {s.label}
              </Title>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {note.sections[s.key]?.trim() || '—'}
              </Text>
            </Stack>
          ))}
        </Stack>
      </Card>

      {addenda.length > 0 && (
        <Stack gap="sm" aria-label="Addenda" role="region">
          <Divider label="Addenda" labelPosition="left" />
          {addenda.map((a) => (
            <Card key={a.id} withBorder padding="md" bg="gray.0">
              <Group justify="space-between" mb={4}>
                <Text size="sm" fw={600}>
                  Addendum — {a.reason}
                </Text>
                <Badge variant="light" color="teal">
                  Signed{' '}
                  {a.signature ? `by ${a.signature.byName}, ${formatDateTime(a.signature.at)}` : ''}
                </Badge>
              </Group>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {a.text}
              </Text>
            </Card>
          ))}
        </Stack>
      )}

      <AddendumDialog
        noteId={note.id}
        opened={dialog === 'addendum'}
        onClose={() => setDialog(null)}
        onReopen={() => setDialog('addendum')}
      />
      <EnteredInErrorDialog
        noteId={note.id}
        opened={dialog === 'error'}
        onClose={() => setDialog(null)}
        onReopen={() => setDialog('error')}
      />
    </Stack>
  );
}
