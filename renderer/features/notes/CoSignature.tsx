import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  PasswordInput,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import type { SessionNote, User } from '../../../shared/model';
import type { CoSignatureState } from '../../../shared/rules/co-signature';
import { KeptDraftNotice } from '../../app/KeptDraftNotice';
import { useStore } from '../../app/app-state';
import { errorMessage, formatDateTime } from '../../app/format';
import { coSignNote, returnNote } from '../../db/co-signature-repository';
import { type DialogProps, useDialogDraft } from './NoteDialogs';

/**
 * The co-signature part of a signed note: who is asked, who co-signed and when, or who returned it
 * and why; for the supervisor named, Co-sign and Return with a comment.
 */
export function CoSignaturePanel(props: {
  note: SessionNote;
  state: CoSignatureState;
  users: User[] | undefined;
}) {
  const { note, state } = props;
  const store = useStore();
  const [dialog, setDialog] = useState<'co-sign' | 'return' | null>(null);
  if (state.state === 'not-asked') return null;
  const name = (id: string) => {
    const u = props.users?.find((x) => x.id === id);
    return u ? `${u.displayName}${u.credentials ? `, ${u.credentials}` : ''}` : 'a former user';
  };
  const supervisor = name(state.supervisorId);
  const mine =
    state.supervisorId === store.session.user.id && note.createdBy !== store.session.user.id;
  return (
    <Stack gap="xs" role="region" aria-label="Supervisor co-signature">
      {state.state === 'co-signed' && (
        <Text size="sm" data-testid="co-signed-line">
          Co-signed by <strong>{supervisor}</strong> on{' '}
          {formatDateTime(state.answer.signature?.at ?? state.answer.createdAt)}
          {state.answer.comment ? ` — ${state.answer.comment}` : ''}
        </Text>
      )}
      {state.state === 'returned' && (
        <Alert color="orange" title={`Returned by ${supervisor}`} role="note">
          <Text size="sm">
            Returned by {supervisor}, {formatDateTime(state.answer.createdAt)}:{' '}
            <strong>{state.answer.comment}</strong>
          </Text>
          {note.createdBy === store.session.user.id && (
            <Text size="sm" mt={4}>
              Answer it in an addendum; the note then goes back to {supervisor}.
            </Text>
          )}
        </Alert>
      )}
      {state.state === 'requested' && (
        <Group justify="space-between">
          <Group gap="xs">
            <Badge color="grape" variant="light" tt="none">
              Co-signature requested
            </Badge>
            <Text size="sm">
              from {supervisor}
              {state.after ? ' (answered after it was returned)' : ''}
            </Text>
          </Group>
          {mine && (
            <Group gap="xs">
              <Button variant="default" onClick={() => setDialog('return')}>
                Return with a comment
              </Button>
              <Button color="grape" onClick={() => setDialog('co-sign')}>
                Co-sign
              </Button>
            </Group>
          )}
        </Group>
      )}
      {state.state === 'requested' && state.after && (
        <Text size="sm" c="dimmed">
          Returned earlier by {supervisor}: {state.after.comment}
        </Text>
      )}
      {mine && (
        <>
          <CoSignDialog
            noteId={note.id}
            opened={dialog === 'co-sign'}
            onClose={() => setDialog(null)}
          />
          <ReturnDialog
            noteId={note.id}
            opened={dialog === 'return'}
            onClose={() => setDialog(null)}
            onReopen={() => setDialog('return')}
          />
        </>
      )}
    </Stack>
  );
}

/** The supervisor's passphrase, checked by the repository (a wrong one writes nothing). */
function CoSignDialog(props: { noteId: string; opened: boolean; onClose: () => void }) {
  const store = useStore();
  const [passphrase, setPassphrase] = useState('');
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!props.opened) setPassphrase('');
  }, [props.opened]);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      await coSignNote(store, props.noteId, passphrase);
      props.onClose();
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Co-sign this note" centered>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Text size="sm">
            Your co-signature is added beneath the author’s, with your name and the time. The note
            itself stays as it was signed.
          </Text>
          <PasswordInput
            label="Your passphrase"
            autoComplete="current-password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
            data-autofocus
          />
          {failure && (
            <Alert color="red" role="alert">
              {failure}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" color="grape" loading={busy}>
              Co-sign
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The comment is kept like any typing (reload, lock); the passphrase never is. */
function ReturnDialog(props: DialogProps) {
  const store = useStore();
  const { value, set, finish, restoredAt } = useDialogDraft(
    `co-sign-return:${props.noteId}`,
    { comment: '' },
    props,
  );
  const [passphrase, setPassphrase] = useState('');
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!props.opened) setPassphrase('');
  }, [props.opened]);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      await returnNote(store, props.noteId, passphrase, value.comment);
      await finish();
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Return to the author" centered>
      <form onSubmit={submit}>
        <Stack gap="sm">
          {value.comment !== '' && <KeptDraftNotice at={restoredAt} then="review it and return" />}
          <Textarea
            label="What should the author answer or correct?"
            description="They answer in an addendum; the note then comes back to you."
            autosize
            minRows={3}
            value={value.comment}
            onChange={(e) => set('comment', e.currentTarget.value)}
            data-autofocus
          />
          <PasswordInput
            label="Your passphrase"
            autoComplete="current-password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
          />
          {failure && (
            <Alert color="red" role="alert">
              {failure}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Return with comment
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
