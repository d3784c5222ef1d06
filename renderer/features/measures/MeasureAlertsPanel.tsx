import { Alert, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { MEASURES, chartAlerts } from '../../../shared/rules/measures';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import { usePatientMeasures } from './use-patient-measures';

/**
 * Suicide-risk alerts from the latest measure of each instrument. They stay on the chart until a
 * newer measure of the same instrument no longer raises them (PHQ-9 item 9; C-SSRS triage).
 */
export function MeasureAlertsPanel({ patientId }: { patientId: string }) {
  const store = useStore();
  const data = usePatientMeasures(patientId);
  const alerts = useMemo(() => chartAlerts(data?.measures ?? []), [data]);
  if (!can(store.roles, 'read', 'measure') || alerts.length === 0) return null;
  return (
    <Stack gap="xs" role="region" aria-label="Risk alerts">
      {alerts.map((a) => (
        <Alert
          key={`${a.measureId}:${a.code}`}
          color={a.severity === 'critical' ? 'red' : 'orange'}
          variant="filled"
          title={`Suicide risk — ${MEASURES[a.instrument].shortName}, ${formatDateTime(a.administeredAt)}`}
        >
          <Text size="sm">{a.message}</Text>
        </Alert>
      ))}
    </Stack>
  );
}
