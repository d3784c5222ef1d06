import { Alert, Anchor, Text } from '@mantine/core';
import { eligibilityProblem } from '../../../shared/rules/eligibility';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { formatCalendarDate } from '../../app/format';
import type { ChartSectionProps } from '../chart/chart-sections';
import { usePatientEligibility } from './use-eligibility';

/** Chart panel: may this patient be dosed, as far as the eligibility evaluation goes. */
export function EligibilityPanel({ patientId }: ChartSectionProps) {
  const store = useStore();
  const standing = usePatientEligibility(patientId);
  if (!can(store.roles, 'read', 'eligibility') || !standing) return null;
  const problem = eligibilityProblem(standing);
  const link =
    standing.state === 'none' ? null : (
      <Anchor href={`#/eligibility/${standing.evaluation.id}`} size="sm">
        Open the evaluation
      </Anchor>
    );
  if (problem)
    return (
      <Alert color="yellow" title="Eligibility" role="status">
        <Text size="sm">{problem}.</Text>
        {link}
      </Alert>
    );
  if (standing.state === 'none') return null;
  return (
    <Alert color="teal" title="Eligibility" role="status">
      <Text size="sm">
        {standing.state === 'eligible-with-conditions'
          ? `Eligible with conditions: ${standing.evaluation.conditions ?? ''}`
          : 'Eligible'}{' '}
        — valid through {formatCalendarDate(standing.validUntil)}.
      </Text>
      {link}
    </Alert>
  );
}
