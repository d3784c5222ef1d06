import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useLocation } from 'wouter';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { startEligibility } from '../../db/eligibility-repository';
import type { ChartSectionProps } from '../chart/chart-sections';

/** Chart action: start a new eligibility evaluation (prescribers only). */
export function EligibilityAction({ patientId }: ChartSectionProps) {
  const store = useStore();
  const [, navigate] = useLocation();
  if (!can(store.roles, 'write', 'eligibility')) return null;
  const start = async () => {
    try {
      const draft = await startEligibility(store, patientId);
      navigate(`/eligibility/${draft.id}`);
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    }
  };
  return (
    <Button variant="default" onClick={() => void start()}>
      Eligibility evaluation
    </Button>
  );
}
