import { Anchor, Badge, Card, Stack, Table, Text, Title } from '@mantine/core';
import type { SessionNote } from '../../../shared/model';
import type { CoSignatureItem } from '../../../shared/rules/co-signature';
import { formatDateTime } from '../../app/format';
import { usePatientIndex } from '../../app/use-records';
import type { CoSignatureWork } from '../../db/co-signature-repository';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

/**
 * Supervision on My work today: supervised colleagues' notes waiting for my co-signature, and
 * my notes my supervisor returned (answer in an addendum). Shown only to those it concerns.
 */
export function CoSignatureSection({ work }: { work: CoSignatureWork }) {
  return (
    <>
      {work.requests.length > 0 && (
        <Stack gap="xs" component="section" aria-labelledby="co-sign-title">
          <Title order={3} size="h4" id="co-sign-title">
            Co-signature requests
          </Title>
          <Text size="sm" c="dimmed">
            Signed notes of clinicians you supervise, oldest first. Open one to co-sign it or return
            it with a comment.
          </Text>
          <NotesTable items={work.requests} label="Co-signature requests" />
        </Stack>
      )}
      {work.returned.length > 0 && (
        <Stack gap="xs" component="section" aria-labelledby="returned-title">
          <Title order={3} size="h4" id="returned-title">
            Returned by your supervisor
          </Title>
          <Text size="sm" c="dimmed">
            Answer each in an addendum; the note then goes back for co-signature.
          </Text>
          <NotesTable items={work.returned} label="Notes returned to you" showComment />
        </Stack>
      )}
    </>
  );
}

function NotesTable(props: {
  items: CoSignatureItem<SessionNote>[];
  label: string;
  showComment?: boolean;
}) {
  const index = usePatientIndex();
  return (
    <Card withBorder padding={0}>
      <Table aria-label={props.label} verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Patient</Table.Th>
            <Table.Th>Note</Table.Th>
            <Table.Th>Signed</Table.Th>
            <Table.Th>{props.showComment ? 'Comment' : 'Status'}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.items.map(({ note, state }) => (
            <Table.Tr key={note.id}>
              <Table.Td style={NOWRAP}>
                {index.get(note.patientId)?.displayName ?? 'Patient not on this computer'}
              </Table.Td>
              <Table.Td>
                <Anchor href={`#/patients/${note.patientId}/notes/${note.id}`}>
                  {note.title || 'Note'}
                </Anchor>
              </Table.Td>
              <Table.Td style={NOWRAP}>
                {note.signature
                  ? `${note.signature.byName}, ${formatDateTime(note.signature.at)}`
                  : '—'}
              </Table.Td>
              <Table.Td>
                {state.state === 'returned' ? (
                  <Text size="sm">{state.answer.comment}</Text>
                ) : state.state === 'requested' && state.after ? (
                  <Badge color="grape" variant="light" tt="none">
                    Answered after return
                  </Badge>
                ) : (
                  <Badge color="grape" variant="light" tt="none">
                    Co-signature requested
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
