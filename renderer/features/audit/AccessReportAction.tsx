import { Button } from '@mantine/core';
import { useStore } from '../../app/app-state';
import type { ChartSectionProps } from '../chart/chart-sections';

/** On the chart, for administrators: who read, printed or exported it (issue 18 point 3). */
export function AccessReportAction({ patientId }: ChartSectionProps) {
  const store = useStore();
  if (!store.roles.includes('administrator')) return null;
  return (
    <Button component="a" href={`#/patients/${patientId}/access-report`} variant="default">
      Who opened this chart
    </Button>
  );
}
