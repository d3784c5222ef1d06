import { Badge, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import type { OutcomeMeasure } from '../../../shared/model';
import { MEASURES } from '../../../shared/rules/measures';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import { usePatientRecords, useRecord } from '../../app/use-records';
import { PatientBanner } from '../chart/PatientBanner';
import { awaitsReview } from '../../db/patient-mode-repository';
import { MeasureReview } from './MeasureReview';
import { ReviewPatientMeasure } from './ReviewPatientMeasure';

const STATUS_COLOR = { draft: 'yellow', signed: 'teal', 'entered-in-error': 'red' } as const;

/** A signed questionnaire opened from the chart: read-only, every answer shown. */
export function MeasureViewScreen(props: { patientId: string; measureId: string }) {
  const store = useStore();
  const measure = useRecord('measure', props.measureId);
  const records = usePatientRecords(props.patientId);
  const history = (records ?? []).filter((r): r is OutcomeMeasure => r.kind === 'measure');
  // Opening a measure is an audited access (HIPAA 45 CFR 164.312(b)).
  useEffect(() => {
    void store.audit('view', {
      recordKind: 'measure',
      recordId: props.measureId,
      patientId: props.patientId,
    });
  }, [store, props.measureId, props.patientId]);

  return (
    <Stack gap="md" maw={960}>
      <PatientBanner patientId={props.patientId} />
      {measure === undefined || records === undefined ? (
        <Loader role="status" aria-label="Opening the measure" />
      ) : measure === null || measure.patientId !== props.patientId ? (
        <Text>That measure could not be found in this chart.</Text>
      ) : (
        <>
          <Group justify="space-between" align="flex-end">
            <Stack gap={2}>
              <Title order={2}>{MEASURES[measure.instrument].name}</Title>
              <Text size="sm" c="dimmed">
                Given {formatDateTime(measure.administeredAt)}
                {measure.signature
                  ? ` · signed by ${measure.signature.byName}, ${formatDateTime(measure.signature.at)}`
                  : ''}
              </Text>
            </Stack>
            <Badge size="lg" variant="light" color={STATUS_COLOR[measure.status]} tt="none">
              {measure.status === 'entered-in-error'
                ? 'Entered in error'
                : measure.status === 'draft'
                  ? 'Awaiting review'
                  : 'Signed — read only'}
            </Badge>
          </Group>
          {awaitsReview(measure) && <ReviewPatientMeasure measure={measure} />}
          <MeasureReview
            measure={measure}
            history={history}
            completedBy={
              measure.completedBy === 'patient'
                ? `the patient, in patient mode${measure.status === 'signed' ? ' (reviewed by the clinician who signed it)' : ''}`
                : undefined
            }
          />
        </>
      )}
    </Stack>
  );
}
