/**
 * On My work today: the clinician's patients whose next planned dose or maintenance session is
 * due today or overdue (issue 16 point 5), most overdue first, each linking to the chart.
 */
import { Anchor, Stack, Table, Text, Title } from '@mantine/core';
import { progressLabel } from '../../../shared/rules/treatment-plan';
import { usePatientIndex } from '../../app/use-records';
import type { PlanReminder } from '../../db/treatment-plan-repository';
import { NextDue } from './TreatmentPlanPanel';

export function PlanRemindersSection({ reminders }: { reminders: PlanReminder[] }) {
  const index = usePatientIndex();
  return (
    <Stack gap="xs" component="section" aria-labelledby="plan-reminders-title">
      <Title order={3} size="h4" id="plan-reminders-title">
        Doses and maintenance due
      </Title>
      <Text size="sm" c="dimmed">
        Your patients whose next dosing or maintenance session, by their treatment plan, is due
        today or overdue. Book it, or revise the plan.
      </Text>
      <Table striped aria-label="Doses and maintenance due">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Patient</Table.Th>
            <Table.Th>Course</Table.Th>
            <Table.Th>Due</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {reminders.map((r) => (
            <Table.Tr key={r.patientId}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Anchor href={`#/patients/${r.patientId}`} fw={500}>
                  {index.get(r.patientId)?.displayName ?? 'Patient not on this computer'}
                </Anchor>
              </Table.Td>
              <Table.Td>{progressLabel(r.progress)}</Table.Td>
              <Table.Td>
                <NextDue next={r.progress.next} total={r.plan.plannedDoses} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
