/**
 * One version of a patient's treatment plan, read-only, with every version listed (a revision
 * replaces a plan; the old one is kept and stays readable). Opening it is an audited read.
 */
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
import { useLocation } from 'wouter';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import { useAuditedRead } from '../audit/use-audited-read';
import { PatientBanner } from '../chart/PatientBanner';
import { planTerms } from './TreatmentPlanPanel';
import { usePatientPlanVersions } from './use-treatment-plan';

export function TreatmentPlanView({ patientId, planId }: { patientId: string; planId: string }) {
  const store = useStore();
  const [, navigate] = useLocation();
  const data = usePatientPlanVersions(patientId);
  const version = data?.versions.find((v) => v.id === planId);
  useAuditedRead('treatment-plan', planId, patientId, !!version);
  if (data === undefined) return <Loader role="status" aria-label="Opening the treatment plan" />;
  if (!version) return <Text>That treatment plan could not be found.</Text>;
  const inForce = data.current?.id === version.id;

  return (
    <Stack gap="md" maw={900}>
      <PatientBanner patientId={patientId} />
      <Group justify="space-between" align="flex-end">
        <Group gap="sm">
          <Title order={2}>Treatment plan</Title>
          <Badge
            size="lg"
            variant="light"
            color={version.status === 'entered-in-error' ? 'red' : inForce ? 'teal' : 'gray'}
          >
            {version.status === 'entered-in-error'
              ? 'Entered in error'
              : inForce
                ? 'In force'
                : 'Replaced'}
          </Badge>
        </Group>
        <Group gap="xs">
          {inForce && can(store.roles, 'sign', 'treatment-plan') && (
            <Button onClick={() => navigate(`/patients/${patientId}/treatment-plan`)}>
              Revise plan
            </Button>
          )}
          <Button variant="default" onClick={() => navigate(`/patients/${patientId}`)}>
            Back to chart
          </Button>
        </Group>
      </Group>
      <Card withBorder>
        <Stack gap="sm">
          <Text>{planTerms(version, data.programName(version.program))}</Text>
          <div>
            <Text fw={600} size="sm">
              Goals
            </Text>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{version.goals || 'None written.'}</Text>
            {version.goalsFromNoteId && (
              <Anchor size="xs" href={`#/patients/${patientId}/notes/${version.goalsFromNoteId}`}>
                Started from the preparation note
              </Anchor>
            )}
          </div>
          <Text size="sm" c="dimmed">
            Signed by {version.signature?.byName ?? '—'},{' '}
            {formatDateTime(version.signature?.at ?? version.writtenAt)}
          </Text>
        </Stack>
      </Card>
      {data.versions.length > 1 && (
        <Stack gap="xs" component="section" aria-labelledby="versions-title">
          <Title order={3} size="h4" id="versions-title">
            Versions
          </Title>
          <Table aria-label="Versions of the treatment plan">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Signed</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>Sessions</Table.Th>
                <Table.Th>State</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.versions.map((v) => (
                <Table.Tr key={v.id}>
                  <Table.Td>
                    <Anchor href={`#/patients/${patientId}/treatment-plans/${v.id}`}>
                      {formatDateTime(v.signature?.at ?? v.writtenAt)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{v.signature?.byName ?? '—'}</Table.Td>
                  <Table.Td>{v.plannedDoses}</Table.Td>
                  <Table.Td>
                    {v.status === 'entered-in-error'
                      ? 'Entered in error'
                      : data.current?.id === v.id
                        ? 'In force'
                        : 'Replaced'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Stack>
  );
}
