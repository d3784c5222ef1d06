import { Alert, Button, Group, Modal, Stack, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { addNoteAddendum, markNoteEnteredInError } from '../../db/notes-repository';

/** Text and reason first; then the passphrase, because an addendum carries its own signature. */
export function AddendumDialog(props: { noteId: string; opened: boolean; onClose: () => void }) {
  const store = useStore();
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<string>();
  const close = () => {
    setFailure(undefined);
    props.onClose();
  };
  const next = () => {
    if (!text.trim() || !reason.trim())
      return setFailure('Write the addendum and say why it is being added.');
    setFailure(undefined);
    setConfirming(true);
  };

  return (
    <>
      <Modal
        opened={props.opened && !confirming}
        onClose={close}
        title="Add addendum"
        centered
        size="lg"
      >
        <Stack gap="sm">
          <Textarea
            label="Addendum"
            autosize
            minRows={4}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            data-autofocus
          />
          <TextInput
            label="Reason"
            placeholder="e.g. late entry, clarification"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          {failure && (
            <Alert color="red" role="alert">
              {failure}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button onClick={next}>Sign addendum</Button>
          </Group>
        </Stack>
      </Modal>
      <ConfirmPassphraseDialog
        opened={confirming}
        title="Sign the addendum"
        explanation="The addendum is signed with your name and the time; the original note stays as it was."
        confirmLabel="Sign addendum"
        onClose={() => setConfirming(false)}
        onConfirmed={async () => {
          await addNoteAddendum(store, props.noteId, text.trim(), reason.trim());
          setText('');
          setReason('');
          props.onClose();
        }}
      />
    </>
  );
}

export function EnteredInErrorDialog(props: {
  noteId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const store = useStore();
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await markNoteEnteredInError(store, props.noteId, reason);
      props.onClose();
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Mark entered in error" centered>
      <Stack gap="sm">
        <TextInput
          label="Why is this note in error?"
          placeholder="e.g. charted on the wrong patient"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
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
          <Button color="red" onClick={() => void confirm()} loading={busy}>
            Mark in error
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
