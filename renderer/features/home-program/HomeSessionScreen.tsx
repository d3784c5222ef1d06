/**
 * One at-home session (a dose record with setting 'at-home'): the prescription it counts against
 * and the sessions left, the virtual check-in, safety checks with the at-home rules (thresholds,
 * monitor present, sessions left), effects and adverse events, and signing. No discharge and no
 * controlled-substance entry: the medication was dispensed to the patient.
 */
import { Alert, Anchor, Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import { patientDisplayName, type DoseRecord } from '../../../shared/model';
import { assertDoseMaySign } from '../../../shared/rules/dosing';
import { useStore } from '../../app/app-state';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { errorMessage } from '../../app/format';
import { useRecord } from '../../app/use-records';
import { signDose } from '../../db/dose-repository';
import { SafetyFindingsCard } from '../dosing/SafetyFindingsCard';
import { SessionEventsCard } from '../dosing/SessionEventsCard';
import { useDoseFindings, useNow } from '../dosing/use-dose';
import { CheckInCard } from './CheckInCard';
import { describePrescription, useHomePrograms } from './use-home-programs';

export function HomeSessionScreen({ dose }: { dose: DoseRecord }) {
  const store = useStore();
  const [, navigate] = useLocation();
  const now = useNow();
  const patient = useRecord('patient', dose.patientId);
  const prescription = useRecord('home-prescription', dose.homePrescriptionId);
  const programs = useHomePrograms(dose.patientId);
  const findings = useDoseFindings(dose, now);
  const [refusal, setRefusal] = useState<string>();
  const [signing, setSigning] = useState(false);
  useEffect(() => setRefusal(undefined), [dose.updatedAt]);
  const readOnly = dose.status !== 'draft';
  const program = programs?.find(
    (p) =>
      p.original.id === dose.homePrescriptionId ||
      p.refills.some((r) => r.id === dose.homePrescriptionId),
  );

  const trySign = () => {
    setRefusal(undefined);
    try {
      assertDoseMaySign(dose, findings ?? [], dose.overrides);
      setSigning(true);
    } catch (e) {
      setRefusal(errorMessage(e));
    }
  };

  return (
    <Stack gap="md" maw={1000}>
      <Group justify="space-between">
        <Stack gap={0}>
          <Title order={2}>At-home session</Title>
          <Text size="sm">
            {patient ? patientDisplayName(patient) : ''}
            {prescription ? ` · ${describePrescription(prescription)}` : ''}
          </Text>
        </Stack>
        <Group>
          {program && (
            <Badge color={program.status.sessionsLeft === 0 ? 'orange' : 'teal'} size="lg">
              Sessions left: {program.status.sessionsLeft} of {program.status.sessionsAllowed}
            </Badge>
          )}
          {dose.signature && (
            <Badge color="teal" size="lg">
              Signed by {dose.signature.byName}
            </Badge>
          )}
          <Button variant="default" onClick={() => navigate(`/patients/${dose.patientId}`)}>
            Back to chart
          </Button>
        </Group>
      </Group>
      {prescription && (
        <Text size="sm">
          Instructions: {prescription.instructions}{' '}
          <Anchor href={`#/home-prescriptions/${prescription.refillOf ?? prescription.id}`}>
            Open the prescription
          </Anchor>
        </Text>
      )}
      <CheckInCard dose={dose} prescription={prescription ?? undefined} readOnly={readOnly} />
      <SafetyFindingsCard dose={dose} findings={findings} readOnly={readOnly} />
      <SessionEventsCard dose={dose} readOnly={readOnly} />
      {refusal && (
        <Alert color="red" role="alert" title="Not ready to sign">
          {refusal}
        </Alert>
      )}
      {!readOnly && (
        <Group justify="flex-end">
          <Button size="md" onClick={trySign}>
            Sign session
          </Button>
        </Group>
      )}
      <ConfirmPassphraseDialog
        opened={signing}
        title="Sign the at-home session"
        explanation="Signing makes this session record final; corrections are made by addendum."
        confirmLabel="Sign"
        onClose={() => setSigning(false)}
        onConfirmed={async () => {
          await signDose(store, dose.id);
          notifications.show({ color: 'teal', message: 'At-home session signed' });
        }}
      />
    </Stack>
  );
}
