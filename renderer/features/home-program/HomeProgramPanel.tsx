/**
 * Chart panel and action for at-home programs: each signed prescription with the sessions left
 * (original and refills together), charting a session from the virtual check-in, and refills.
 * The repository refuses a session or refill past what was prescribed; the panel shows why.
 */
import { Alert, Anchor, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { assertRefillAllowed } from '../../../shared/rules/home-program';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { errorMessage, formatDateTime } from '../../app/format';
import {
  refillHomeProgram,
  startHomeSession,
  type HomeProgram,
} from '../../db/home-program-repository';
import type { ChartSectionProps } from '../chart/chart-sections';
import { describePrescription, useHomePrograms } from './use-home-programs';

/** Chart action: write an at-home prescription (prescribers only). */
export function NewHomePrescriptionAction({ patientId }: ChartSectionProps) {
  const store = useStore();
  const [, navigate] = useLocation();
  if (!can(store.roles, 'sign', 'home-prescription')) return null;
  return (
    <Button variant="default" onClick={() => navigate(`/patients/${patientId}/home-prescription`)}>
      At-home prescription
    </Button>
  );
}

export function HomeProgramPanel({ patientId }: ChartSectionProps) {
  const programs = useHomePrograms(patientId);
  if (!programs?.length) return null;
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="xs">
        At-home program
      </Title>
      <Stack gap="sm">
        {programs.map((p) => (
          <ProgramRow key={p.original.id} program={p} />
        ))}
      </Stack>
    </Card>
  );
}

export function ProgramRow({ program }: { program: HomeProgram }) {
  const store = useStore();
  const [, navigate] = useLocation();
  const [failure, setFailure] = useState<string>();
  const [refilling, setRefilling] = useState(false);
  const { original, status } = program;
  const mayChart = can(store.roles, 'write', 'dose');
  const mayRefill = can(store.roles, 'sign', 'home-prescription');
  const chart = async () => {
    setFailure(undefined);
    try {
      const { dose } = await startHomeSession(store, original.id);
      navigate(`/doses/${dose.id}`);
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };
  // Refused refills are refused before the passphrase is asked (the repository checks again).
  const askRefill = () => {
    setFailure(undefined);
    try {
      assertRefillAllowed(original, [original, ...program.refills]);
      setRefilling(true);
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };
  return (
    <Stack gap={4} aria-label={`At-home prescription of ${formatDateTime(original.writtenAt)}`}>
      <Group gap="xs">
        <Anchor href={`#/home-prescriptions/${original.id}`} size="sm" fw={600}>
          {describePrescription(original)}
        </Anchor>
        <Badge
          color={status.sessionsLeft === 0 ? 'orange' : 'teal'}
          variant="light"
          aria-label={`Sessions left: ${status.sessionsLeft} of ${status.sessionsAllowed}`}
        >
          Sessions left: {status.sessionsLeft} of {status.sessionsAllowed}
        </Badge>
        <Text size="sm">
          Refills left: {status.refillsLeft} of {status.refillsAllowed} · Monitor:{' '}
          {original.monitorName}
        </Text>
      </Group>
      <Group gap="xs">
        {mayChart && (
          <Button size="xs" onClick={() => void chart()}>
            Chart at-home session
          </Button>
        )}
        {mayRefill && (
          <Button size="xs" variant="default" onClick={askRefill}>
            Refill
          </Button>
        )}
      </Group>
      {failure && (
        <Alert color="red" role="alert" title="Refused">
          {failure}
        </Alert>
      )}
      <ConfirmPassphraseDialog
        opened={refilling}
        title="Sign the refill"
        explanation={`A refill repeats this prescription (${describePrescription(original)}) from today.`}
        confirmLabel="Sign refill"
        onClose={() => setRefilling(false)}
        onConfirmed={async () => {
          try {
            await refillHomeProgram(store, original.id);
            notifications.show({ color: 'teal', message: 'Refill signed' });
          } catch (e) {
            // A refused refill is not a wrong passphrase: say why on the panel and close.
            setFailure(errorMessage(e));
          }
        }}
      />
    </Stack>
  );
}
