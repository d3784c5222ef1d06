/** A signed at-home prescription, its refills and the sessions charted against them. */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useEffect } from 'react';
import { useLocation } from 'wouter';
import { patientDisplayName } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import { useRecord } from '../../app/use-records';
import { ProgramRow } from './HomeProgramPanel';
import { describePrescription, useHomePrograms } from './use-home-programs';

export function HomePrescriptionView({ id }: { id: string }) {
  const store = useStore();
  const [, navigate] = useLocation();
  const prescription = useRecord('home-prescription', id);
  const patient = useRecord('patient', prescription?.patientId);
  const programs = useHomePrograms(prescription?.patientId);
  const patientId = prescription?.patientId;
  // Opening a prescription is an audited access (HIPAA 45 CFR 164.312(b)).
  useEffect(() => {
    if (patientId)
      void store.audit('view', { recordKind: 'home-prescription', recordId: id, patientId });
  }, [store, id, patientId]);
  if (prescription === undefined || !programs)
    return <Loader role="status" aria-label="Opening prescription" />;
  if (prescription === null) return <Text>That prescription could not be found.</Text>;
  const program = programs.find((p) => p.original.id === (prescription.refillOf ?? id));

  return (
    <Stack gap="md" maw={900}>
      <Group justify="space-between">
        <Stack gap={0}>
          <Title order={2}>At-home prescription</Title>
          <Text size="sm">
            {patient ? patientDisplayName(patient) : ''} · written{' '}
            {formatDateTime(prescription.writtenAt)}
          </Text>
        </Stack>
        <Group>
          {prescription.signature && (
            <Badge color="teal" size="lg">
              Signed by {prescription.signature.byName}
            </Badge>
          )}
          <Button variant="default" onClick={() => navigate(`/patients/${prescription.patientId}`)}>
            Back to chart
          </Button>
        </Group>
      </Group>
      <Card withBorder>
        <Stack gap={4}>
          <Text fw={600}>{describePrescription(prescription)}</Text>
          <Text size="sm">Instructions: {prescription.instructions}</Text>
          <Text size="sm">
            Treatment monitor: {prescription.monitorName}
            {prescription.monitorPhone ? `, ${prescription.monitorPhone}` : ''}
          </Text>
          <Text size="sm">Refills allowed: {prescription.refillsAllowed}</Text>
        </Stack>
      </Card>
      {program && (
        <Card withBorder>
          <ProgramRow program={program} />
          <Table aria-label="At-home sessions" mt="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Session</Table.Th>
                <Table.Th>Dose</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {program.sessions
                .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
                .map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>
                      <Anchor href={`#/doses/${s.id}`}>
                        {formatDateTime(s.administeredAt ?? s.createdAt)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{s.doseMg} mg</Table.Td>
                    <Table.Td>{s.status}</Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}
