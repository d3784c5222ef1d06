import { Alert, Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { OutcomeMeasure } from '../../../shared/model';
import { MEASURES } from '../../../shared/rules/measures';
import { can } from '../../../shared/rules/permissions';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { useStore } from '../../app/app-state';
import { reviewPatientMeasure } from '../../db/patient-mode-repository';

/**
 * A questionnaire the patient answered in patient mode waits for a clinician: reviewing it signs
 * it in their name (their passphrase re-checked), so the chart shows who looked at the answers.
 */
export function ReviewPatientMeasure({ measure }: { measure: OutcomeMeasure }) {
  const store = useStore();
  const [confirming, setConfirming] = useState(false);
  const name = MEASURES[measure.instrument].shortName;
  return (
    <Alert color="yellow" title="Completed by the patient, awaiting review">
      <Group justify="space-between" align="center">
        <Text size="sm">
          The patient answered this {name} in patient mode. Review the answers below, then sign it
          as reviewed.
        </Text>
        {can(store.roles, 'sign', 'measure') && (
          <Button onClick={() => setConfirming(true)}>Mark reviewed</Button>
        )}
      </Group>
      <ConfirmPassphraseDialog
        opened={confirming}
        title={`Review the ${name}`}
        explanation="The patient's answers are stored signed by you as reviewed, with the time; they cannot be edited afterwards."
        confirmLabel="Sign as reviewed"
        onClose={() => setConfirming(false)}
        onConfirmed={async () => {
          await reviewPatientMeasure(store, measure.id);
          notifications.show({ color: 'teal', message: `${name} reviewed and signed` });
        }}
      />
    </Alert>
  );
}
