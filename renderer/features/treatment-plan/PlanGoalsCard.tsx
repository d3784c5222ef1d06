/**
 * The treatment plan's goals on an integration summary, to review with the patient after each
 * dosing session (issue 16 point 5): the goals, where the course stands, and a link to the plan.
 */
import { Anchor, Card, Group, Text } from '@mantine/core';
import { progressLabel } from '../../../shared/rules/treatment-plan';
import { usePatientPlan } from './use-treatment-plan';

export function PlanGoalsCard({ patientId }: { patientId: string }) {
  const shown = usePatientPlan(patientId);
  if (!shown) return null;
  const { plan, progress } = shown;
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="plan-goals-title">
      <Group justify="space-between" mb={4}>
        <Text fw={600} id="plan-goals-title">
          Treatment plan goals, to review
        </Text>
        <Group gap="xs">
          {progress && <Text size="sm">{progressLabel(progress)}</Text>}
          <Anchor size="sm" href={`#/patients/${patientId}/treatment-plans/${plan.id}`}>
            Open the plan
          </Anchor>
        </Group>
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {plan.goals || 'The plan has no goals written yet.'}
      </Text>
    </Card>
  );
}
