import { Alert, Stack, Text } from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { MEASURES, chartAlerts } from '../../../shared/rules/measures';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import { usePatientMeasures } from './use-patient-measures';

/**
 * Suicide-risk alerts from the latest measure of each instrument. They stay on the chart until a
 * newer measure of the same instrument no longer raises them (PHQ-9 item 9; C-SSRS triage).
 * A role that does not read measures (the front desk who took the tablet back from the patient)
 * sees that an alert is open and to fetch a clinician, never the questionnaire or its score.
 */
export function MeasureAlertsPanel({ patientId }: { patientId: string }) {
  const store = useStore();
  return can(store.roles, 'read', 'measure') ? (
    <ClinicianAlerts patientId={patientId} />
  ) : (
    <SafetyFlagNotice patientId={patientId} />
  );
}

function ClinicianAlerts({ patientId }: { patientId: string }) {
  const data = usePatientMeasures(patientId);
  const alerts = useMemo(() => chartAlerts(data?.measures ?? []), [data]);
  if (alerts.length === 0) return null;
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

/** For staff who do not read measures: an open alert, its time, and what to do. */
export function SafetyFlagNotice({ patientId }: { patientId: string }) {
  const store = useStore();
  const flags = useLiveQuery(() => store.safetyFlags(patientId), [store, patientId]);
  if (!flags || flags.length === 0) return null;
  const latest = flags.map((f) => f.at).sort()[flags.length - 1]!;
  return (
    <Stack gap="xs" role="region" aria-label="Risk alerts">
      <Alert color="red" variant="filled" title="Safety alert — a clinician is needed now">
        <Text size="sm">
          An answer this patient gave on {formatDateTime(latest)} needs a clinician. Tell the
          patient&apos;s therapist or prescriber before the patient leaves. The answers are for the
          clinician to read.
        </Text>
      </Alert>
    </Stack>
  );
}
