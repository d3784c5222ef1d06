import { Alert, Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { PatientModeState } from '../../../shared/rules/patient-mode';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { endPatientMode } from '../../db/patient-mode-repository';
import { patientModeStorage } from './patient-mode-store';

/** Where staff land when they take the device back: finishing the packet, else the chart. */
function afterPatientMode(state: PatientModeState | undefined): string {
  if (!state) return '/';
  const packet = state.tasks.find((t) => t.kind === 'packet');
  if (packet && state.done.includes(`packet:${packet.program}`))
    return `/patients/${state.patientId}/patient-mode/packet/${packet.program}`;
  return `/patients/${state.patientId}`;
}

/**
 * Staff take the device back: their own user name and passphrase (any staff member who signs
 * in on this computer). A wrong pair keeps patient mode on and says so.
 */
export function EndPatientModeDialog(props: {
  opened: boolean;
  onClose: () => void;
  state: PatientModeState | undefined;
}) {
  const store = useStore();
  const [username, setUsername] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const close = () => {
    setPassphrase('');
    setFailure(undefined);
    props.onClose();
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      // replaceState fires no hashchange, so the patient screen's address pin lets it be, and the
      // staff screens open on it once patient mode is off.
      await endPatientMode(store, patientModeStorage, username, passphrase, (state) =>
        window.history.replaceState(null, '', `#${afterPatientMode(state)}`),
      );
    } catch (err) {
      setFailure(errorMessage(err));
      setPassphrase('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={props.opened} onClose={close} title="End patient mode (staff only)" centered>
      <form onSubmit={(e) => void submit(e)}>
        <Stack gap="sm">
          <Text size="sm">
            A member of staff signs with their own user name and passphrase to take the device back.
          </Text>
          <TextInput
            label="Staff user name"
            autoComplete="off"
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            data-autofocus
          />
          <PasswordInput
            label="Staff passphrase"
            autoComplete="off"
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
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
            <Button type="submit" loading={busy}>
              End patient mode
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
