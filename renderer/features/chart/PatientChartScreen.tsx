import { Button, Group, Stack, Text } from '@mantine/core';
import { Fragment, useEffect } from 'react';
import { useLocation } from 'wouter';
import { useStore } from '../../app/app-state';
import { useChartContributions } from '../../app/contributions';
import { PatientRecordsProvider, useRecord } from '../../app/use-records';
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
  const [, navigate] = useLocation();
  const patient = useRecord('patient', patientId);
  const { actions, panels } = useChartContributions();

  // Viewing a chart is an audited access (HIPAA 45 CFR 164.312(b), audit controls).
  useEffect(() => {
    void store.audit('view', { recordKind: 'patient', recordId: patientId, patientId });
  }, [store, patientId]);

  if (patient === null) return <Text>That patient could not be found.</Text>;

  // The course and the panels share one read of the patient's records.
  return (
    <PatientRecordsProvider patientId={patientId}>
      <Stack gap="lg">
        <PatientBanner patientId={patientId} isChart />
        <Group gap="xs" role="group" aria-label="Chart actions">
          {actions.map((Action, i) => (
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
              {panels
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
    </PatientRecordsProvider>
  );
}
