import { Alert, Button, Group, Modal, Stack, TextInput, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { KeptDraftNotice } from '../../app/KeptDraftNotice';
import { useStore } from '../../app/app-state';
import { useValueDraft } from '../../app/use-value-draft';
import { addNoteAddendum, markNoteEnteredInError } from '../../db/notes-repository';

export type DialogProps = {
  noteId: string;
  opened: boolean;
  onClose: () => void;
  /** Text kept from an open dialog came back (reload, lock): the dialog asks to be shown again. */
  onReopen: () => void;
};

/**
 * What a dialog holds, kept encrypted like a note (useValueDraft) so that a reload, a lock or a
 * crash never costs its text; `open` brings the dialog back as it was left. Closing keeps the text
 * for the next time; only finishing (signing, marking) drops it.
 */
export function useDialogDraft<T extends Record<string, string>>(
  key: string,
  blank: T,
  props: DialogProps,
) {
  const [value, setValue] = useState<T & { open: boolean }>({ ...blank, open: false });
  const draft = useValueDraft(key, { ...value, open: props.opened }, (kept) => {
    setValue({ ...blank, ...kept });
    if (kept.open) props.onReopen();
  });
  const set = (field: keyof T, text: string) => setValue((v) => ({ ...v, [field]: text }));
  /** Done (signed, marked): closes the dialog and drops the kept copy in one step, so no render in
   * between (blank text, dialog still open) is kept as typing — a reload right after signing
   * reopened an empty dialog. */
  const finish = async () => {
    props.onClose();
    setValue({ ...blank, open: false });
    await draft.clear({ ...blank, open: false });
  };
  return { value, set, finish, restoredAt: draft.restoredAt };
}

/** Text and reason first; then the passphrase, because an addendum carries its own signature. */
export function AddendumDialog(props: DialogProps) {
  const store = useStore();
  const { value, set, finish, restoredAt } = useDialogDraft(
    `addendum:${props.noteId}`,
    { text: '', reason: '' },
    props,
  );
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<string>();
  const close = () => {
    setFailure(undefined);
    props.onClose();
  };
  const next = () => {
    if (!value.text.trim() || !value.reason.trim())
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
          {value.text + value.reason !== '' && (
            <KeptDraftNotice at={restoredAt} then="review it and sign" />
          )}
          <Textarea
            label="Addendum"
            autosize
            minRows={4}
            value={value.text}
            onChange={(e) => set('text', e.currentTarget.value)}
            data-autofocus
          />
          <TextInput
            label="Reason"
            placeholder="e.g. late entry, clarification"
            value={value.reason}
            onChange={(e) => set('reason', e.currentTarget.value)}
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
          await addNoteAddendum(store, props.noteId, value.text.trim(), value.reason.trim());
          await finish();
        }}
      />
    </>
  );
}

/**
 * Marking a signed note in error is as weighty as signing it: the reason first, then the
 * passphrase (the mark carries who made it, shown on the note).
 */
export function EnteredInErrorDialog(props: DialogProps) {
  const store = useStore();
  const { value, set, finish, restoredAt } = useDialogDraft(
    `note-in-error:${props.noteId}`,
    { reason: '' },
    props,
  );
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    if (!props.opened) setFailure(undefined);
  }, [props.opened]);
  const next = () => {
    if (value.reason.trim().length < 3)
      return setFailure('Say why this note is in error (a few words at least).');
    setFailure(undefined);
    setConfirming(true);
  };
  return (
    <>
      <Modal
        opened={props.opened && !confirming}
        onClose={props.onClose}
        title="Mark entered in error"
        centered
      >
        <Stack gap="sm">
          {value.reason !== '' && <KeptDraftNotice at={restoredAt} then="review it and confirm" />}
          <TextInput
            label="Why is this note in error?"
            placeholder="e.g. charted on the wrong patient"
            value={value.reason}
            onChange={(e) => set('reason', e.currentTarget.value)}
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
            <Button color="red" onClick={next}>
              Mark in error
            </Button>
          </Group>
        </Stack>
      </Modal>
      <ConfirmPassphraseDialog
        opened={confirming}
        title="Confirm: mark this note entered in error"
        explanation="The note stays in the chart, struck through, with your name, the time and this reason. This cannot be undone."
        confirmLabel="Mark in error"
        onClose={() => setConfirming(false)}
        onConfirmed={async () => {
          await markNoteEnteredInError(store, props.noteId, value.reason);
          await finish();
        }}
      />
    </>
  );
}
