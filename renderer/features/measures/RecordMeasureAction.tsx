import { Button } from '@mantine/core';
import { useLocation } from 'wouter';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';

export function RecordMeasureAction({ patientId }: { patientId: string }) {
  const store = useStore();
  const [, navigate] = useLocation();
  if (!can(store.roles, 'sign', 'measure')) return null;
  return (
    <Button variant="light" onClick={() => navigate(`/patients/${patientId}/measures/new`)}>
      Record measure
    </Button>
  );
}
