import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { verifyPassphrase } from '../db/auth';
import { useStore } from './app-state';
import { errorMessage } from './format';

/**
 * Signing, witnessing and overrides re-check a passphrase (HIPAA 164.312(d); 21 CFR 11.200 style
 * re-authentication for signatures). By default it is the signed-in user's; pass `userId` to ask
 * another person (a waste witness) for theirs.
 */
export function ConfirmPassphraseDialog(props: {
  opened: boolean;
  title: string;
  /** What signing means here, in one sentence. */
  explanation: string;
  confirmLabel: string;
  userId?: string;
  onClose: () => void;
  onConfirmed: () => Promise<void>;
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
      const ok = await verifyPassphrase(
        store.db,
        props.userId ?? store.session.user.id,
        passphrase,
      );
      if (!ok) {
        setFailure('That passphrase is not correct. Nothing was signed.');
        return;
      }
      await props.onConfirmed();
      setPassphrase('');
      props.onClose();
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title} centered>
      <form onSubmit={confirm}>
        <Stack gap="sm">
          <Text size="sm">{props.explanation}</Text>
          <PasswordInput
            label="Passphrase"
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
            <Button type="submit" loading={busy}>
              {props.confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
