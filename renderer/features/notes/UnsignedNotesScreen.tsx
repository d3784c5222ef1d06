import { Anchor, Badge, Card, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import { useClinicSettings, usePatientIndex, useRecordsOfKind } from '../../app/use-records';
import { unsignedNotesOf } from '../../db/notes-repository';
import { lastEditedAt, notesInConflict } from '../../db/notes-repository-conflicts';

/** The signed-in clinician's drafts left unsigned past the clinic's limit (Settings). */
export function UnsignedNotesScreen() {
  const store = useStore();
  const notes = useRecordsOfKind('note');
  const settings = useClinicSettings();
  const patients = usePatientIndex();
  const days = settings.unsignedNoteAlertDays;
  const me = store.session.user.id;
  // Overdue drafts, and any draft of mine with two versions to choose between, whatever its age.
  const { overdue, conflicted } = useMemo(() => {
    const all = notes ?? [];
    const conflicted = notesInConflict(all);
    const late = unsignedNotesOf(all, me, new Date(), days);
    const lateIds = new Set(late.map((n) => n.id));
    const extra = all.filter(
      (n) => conflicted.has(n.id) && n.createdBy === me && !lateIds.has(n.id),
    );
    return {
      overdue: [...late, ...extra].sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
      conflicted,
    };
  }, [notes, me, days]);

  return (
    <Stack gap="md" maw={960}>
      <Title order={2}>Unsigned notes</Title>
      <Text size="sm" c="dimmed">
        Your drafts that have stayed unsigned for {days} day{days === 1 ? '' : 's'} or more, and any
        draft of yours with two versions to choose between.
      </Text>
      {notes === undefined ? (
        <Loader aria-label="Loading notes" />
      ) : overdue.length === 0 ? (
        <Card withBorder padding="xl">
          <Text fw={500}>No overdue drafts and no versions to choose between.</Text>
        </Card>
      ) : (
        <Table striped aria-label="Unsigned notes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Note</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Last edited</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {overdue.map((n) => {
              const p = patients.get(n.patientId);
              return (
                <Table.Tr key={n.id}>
                  <Table.Td>{p?.displayName ?? 'Unknown patient'}</Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      <Anchor href={`#/patients/${n.patientId}/notes/${n.id}`}>{n.title}</Anchor>
                      {conflicted.has(n.id) && (
                        <Badge variant="light" color="orange">
                          Two versions — choose one
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{formatDateTime(n.createdAt)}</Table.Td>
                  <Table.Td>{formatDateTime(lastEditedAt(n))}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
