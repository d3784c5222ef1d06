import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { User } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { type ConfirmedSigner, confirmSigner } from '../../db/consent-signers';

/** A witness or clinician confirms, with their own passphrase, that they sign this form. */
export function SignerConfirmDialog(props: {
  opened: boolean;
  user: User;
  place: 'witness' | 'clinician';
  onClose: () => void;
  onConfirmed: (signer: ConfirmedSigner) => void;
}) {
  const store = useStore();
  const [passphrase, setPassphrase] = useState('');
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const confirm = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    setBusy(true);
    try {
      const signer = await confirmSigner(store, {
        userId: props.user.id,
        place: props.place,
        passphrase,
      });
      setPassphrase('');
      props.onConfirmed(signer);
      props.onClose();
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={`${props.user.displayName} signs as ${props.place}`}
      centered
    >
      <form onSubmit={confirm}>
        <Stack gap="sm">
          <Text size="sm">
            {props.user.displayName} types their own passphrase to confirm they are the{' '}
            {props.place} on this form. Their name and role are printed with the signature.
          </Text>
          <PasswordInput
            label={`Passphrase of ${props.user.displayName}`}
            autoComplete="off"
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
            <Button type="submit" loading={busy}>
              Confirm
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
