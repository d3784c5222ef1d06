import {
  Alert,
  Box,
  Button,
  Container,
  Group,
  Loader,
  Progress,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import {
  type PatientTask,
  patientModeIdleMinutes,
  taskKey,
  taskProgress,
} from '../../../shared/rules/patient-mode';
import { useClinicSettings, useRecord } from '../../app/use-records';
import { useIdleLock } from '../../app/use-idle-lock';
import { EndPatientModeDialog } from './EndPatientModeDialog';
import { PatientPacketTask } from './PatientPacketTask';
import { PatientQuestionnaireTask } from './PatientQuestionnaireTask';
import { usePatientMode } from './patient-mode-store';

/** The only address while patient mode is on. */
export const KIOSK_HASH = '#/patient-mode';

/**
 * Keeps the address on the patient's screen: a typed address, a link or the back button lands
 * here again (a new entry is pushed each time, so going back never leaves the app either).
 */
function usePinnedAddress() {
  useEffect(() => {
    const pin = () => {
      if (window.location.hash !== KIOSK_HASH) window.history.pushState(null, '', KIOSK_HASH);
    };
    pin();
    window.addEventListener('hashchange', pin);
    window.addEventListener('popstate', pin);
    return () => {
      window.removeEventListener('hashchange', pin);
      window.removeEventListener('popstate', pin);
    };
  }, []);
}

/**
 * Patient mode: the patient's own tasks, one at a time, in large plain type, and nothing else of
 * the app (no header, navigation or shortcuts: the staff shell is not rendered at all). Only a
 * staff member's passphrase ends it. Auto-lock gives a patient still answering half an hour
 * (patientModeIdleMinutes), and the clinic's own time once they are finished.
 */
export function PatientModeShell() {
  const state = usePatientMode();
  const settings = useClinicSettings();
  useIdleLock(
    state ? patientModeIdleMinutes(settings.autoLockMinutes, state) : settings.autoLockMinutes,
  );
  usePinnedAddress();
  const [ending, setEnding] = useState(false);
  const patient = useRecord('patient', state?.patientId);
  const progress = state && taskProgress(state);

  return (
    <Box component="main" mih="100vh" py="xl" px="md" bg="gray.0">
      <Container size="md">
        <Stack gap="lg">
          <Group justify="space-between" align="flex-end" wrap="wrap">
            <Title order={1} size="h2">
              {patient ? `Hello, ${patient.preferredName || patient.firstName}` : 'Patient mode'}
            </Title>
            {progress && !progress.allDone && (
              <Text size="xl" fw={600} aria-live="polite">
                Step {progress.position} of {progress.total}
              </Text>
            )}
          </Group>
          {progress && (
            <Progress
              value={(100 * (progress.position - 1)) / progress.total}
              size="lg"
              aria-label={`${progress.position - 1} of ${progress.total} steps finished`}
            />
          )}
          {!state ? (
            <Text size="xl">Please hand the device back to a member of staff.</Text>
          ) : patient === undefined ? (
            <Loader role="status" aria-label="Opening your forms" />
          ) : progress?.current ? (
            <CurrentTask key={taskKey(progress.current)} task={progress.current} />
          ) : (
            <AllDone />
          )}
          <Group justify="flex-end" mt="xl">
            <Button variant="subtle" color="gray" onClick={() => setEnding(true)}>
              Staff: end patient mode
            </Button>
          </Group>
        </Stack>
      </Container>
      <EndPatientModeDialog opened={ending} onClose={() => setEnding(false)} state={state} />
    </Box>
  );
}

function CurrentTask({ task }: { task: PatientTask }) {
  const state = usePatientMode()!;
  return task.kind === 'packet' ? (
    <PatientPacketTask state={state} task={task} />
  ) : (
    <PatientQuestionnaireTask state={state} instrument={task.instrument} />
  );
}

function AllDone() {
  return (
    <Stack gap="md" role="region" aria-label="Finished">
      <Title order={2}>Thank you — you are finished</Title>
      <Text size="xl">Please hand the device back to a member of staff.</Text>
      <Alert color="blue" variant="light">
        <Text size="lg">
          If you are having thoughts of hurting yourself, please tell a member of staff now. In the
          US you can also call or text 988 at any time.
        </Text>
      </Alert>
    </Stack>
  );
}
