import { Button, Group, Stack, Text } from '@mantine/core';
import { Fragment, useEffect } from 'react';
import { useLocation } from 'wouter';
import { useStore } from '../../app/app-state';
import { useChartContributions } from '../../app/contributions';
import { useAfterPaint } from '../../app/use-after-paint';
import { PatientRecordsProvider, usePatientRecords, useRecord } from '../../app/use-records';
import { chartOrder } from './chart-order';
import { CourseTimeline } from './CourseTimeline';
import { PatientBanner } from './PatientBanner';
import { CardBoundary } from '../../app/ErrorBoundary';

/**
 * A patient's chart: the banner, the actions areas contribute, then their panels and the course
 * of visits in the order that suits the reader's role (chart-order.ts). The chart imports no
 * area: what they add comes from app/contributions.ts.
 */
export function PatientChartScreen({ patientId }: { patientId: string }) {
  const store = useStore();
  const patient = useRecord('patient', patientId);

  // Viewing a chart is an audited access (HIPAA 45 CFR 164.312(b), audit controls).
  useEffect(() => {
    void store.audit('view', { recordKind: 'patient', recordId: patientId, patientId });
  }, [store, patientId]);

  if (patient === null) return <Text>That patient could not be found.</Text>;

  // The course and the panels share one read of the patient's records.
  return (
    <PatientRecordsProvider patientId={patientId}>
      <ChartParts key={patientId} patientId={patientId} />
    </PatientRecordsProvider>
  );
}

/**
 * The banner and the course come first; the actions and panels areas contribute follow in the
 * frame after the course is drawn (issue 20: rendered with it, their own reads, decryption and
 * renders stood between the click and the course). Risk alerts are in the banner from the start.
 */
function ChartParts({ patientId }: { patientId: string }) {
  const store = useStore();
  const [, navigate] = useLocation();
  const { actions, panels } = useChartContributions();
  const rest = useAfterPaint(usePatientRecords(patientId) !== undefined);
  return (
    <Stack gap="lg">
      <PatientBanner patientId={patientId} isChart />
      <Group gap="xs" role="group" aria-label="Chart actions">
        {rest &&
          actions.map((Action, i) => (
            <CardBoundary key={i} what="this action">
              <Action patientId={patientId} />
            </CardBoundary>
          ))}
        <Button variant="default" onClick={() => navigate(`/patients/${patientId}/edit`)}>
          Edit details
        </Button>
      </Group>
      {chartOrder(store.roles).map((part) =>
        part === 'timeline' ? (
          <CourseTimeline key={part} patientId={patientId} />
        ) : (
          <Fragment key={part}>
            {rest &&
              panels
                .filter((p) => p.group === part)
                .map(({ component: Panel }, i) => (
                  <CardBoundary key={i} what="this part of the chart">
                    <Panel patientId={patientId} />
                  </CardBoundary>
                ))}
          </Fragment>
        ),
      )}
    </Stack>
  );
}
