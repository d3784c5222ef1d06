import { Button } from '@mantine/core';
import { useLocation } from 'wouter';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';

export function IntegrationAction({ patientId }: { patientId: string }) {
  const store = useStore();
  const [, navigate] = useLocation();
  if (!can(store.roles, 'write', 'integration-summary')) return null;
  return (
    <Button variant="light" onClick={() => navigate(`/patients/${patientId}/integration/new`)}>
      Integration summary
    </Button>
  );
}
