import { Anchor, Card, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import { useClinicSettings, usePatientIndex, useRecordsOfKind } from '../../app/use-records';
import { unsignedNotesOf } from '../../db/notes-repository';

/** The signed-in clinician's drafts left unsigned past the clinic's limit (Settings). */
export function UnsignedNotesScreen() {
  const store = useStore();
  const notes = useRecordsOfKind('note');
  const settings = useClinicSettings();
  const patients = usePatientIndex();
  const days = settings.unsignedNoteAlertDays;
  const overdue = useMemo(
    () => unsignedNotesOf(notes ?? [], store.session.user.id, new Date(), days),
    [notes, store, days],
  );

  return (
    <Stack gap="md" maw={960}>
      <Title order={2}>Unsigned notes</Title>
      <Text size="sm" c="dimmed">
        Your drafts that have stayed unsigned for {days} day{days === 1 ? '' : 's'} or more.
      </Text>
      {notes === undefined ? (
        <Loader aria-label="Loading notes" />
      ) : overdue.length === 0 ? (
        <Card withBorder padding="xl">
          <Text fw={500}>No overdue drafts. Everything you started is signed.</Text>
        </Card>
      ) : (
        <Table striped aria-label="Unsigned notes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Note</Table.Th>
              <Table.Th>Started</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {overdue.map((n) => {
              const p = patients.get(n.patientId);
              return (
                <Table.Tr key={n.id}>
                  <Table.Td>{p?.displayName ?? 'Unknown patient'}</Table.Td>
                  <Table.Td>
                    <Anchor href={`#/patients/${n.patientId}/notes/${n.id}`}>{n.title}</Anchor>
                  </Table.Td>
                  <Table.Td>{formatDateTime(n.createdAt)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
