import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useLocation } from 'wouter';
import { VISIT_LABELS } from '../../../shared/model';
import { measuresDue } from '../../../shared/rules/measures';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import { useClinicSettings } from '../../app/use-records';
import { nextVisit } from '../../db/measures-repository';
import { usePatientMeasures } from './use-patient-measures';

/** "Due before the next visit", per the clinic's measure schedule (Settings). */
export function MeasuresDuePanel({ patientId }: { patientId: string }) {
  const store = useStore();
  const [, navigate] = useLocation();
  const settings = useClinicSettings();
  const data = usePatientMeasures(patientId);
  const due = useMemo(() => {
    if (!data) return undefined;
    const visit = nextVisit(data.appointments, data.encounters, new Date());
    return visit ? { visit, due: measuresDue(settings, data.measures, visit) } : undefined;
  }, [data, settings]);
  if (!can(store.roles, 'sign', 'measure') || !due || due.due.length === 0) return null;
  return (
    <Alert color="blue" title="Measures due" role="region" aria-label="Measures due">
      <Stack gap={6}>
        <Text size="sm">
          For the {VISIT_LABELS[due.visit.visitKind].toLowerCase()} on{' '}
          {formatDateTime(due.visit.start)}:
        </Text>
        {due.due.map((d) => (
          <Group key={d.instrument} justify="space-between" wrap="nowrap">
            <Text size="sm">
              <strong>{d.shortName}</strong> — {d.reason}
            </Text>
            <Button
              size="compact-sm"
              variant="white"
              onClick={() => navigate(`/patients/${patientId}/measures/new/${d.instrument}`)}
              aria-label={`Record ${d.shortName}`}
            >
              Record
            </Button>
          </Group>
        ))}
      </Stack>
    </Alert>
  );
}
