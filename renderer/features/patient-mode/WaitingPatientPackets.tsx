import { Alert, Button, Stack, Text } from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useLocation } from 'wouter';
import { programName } from '../../../shared/rules/consent-packets';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import { computerDraftKey } from '../../app/use-value-draft';
import { useLivePackets } from '../consent/use-consent';
import { keptPacketKey } from './kept-packet';

/**
 * On the chart: packets this patient signed in patient mode on this computer that still wait for
 * staff signatures. Whoever ended patient mode may have gone on, or may not collect consent
 * (an administrator): the patient's signatures stay findable here until the packet is signed.
 */
export function WaitingPatientPackets({ patientId }: { patientId: string }) {
  const store = useStore();
  const [, navigate] = useLocation();
  const packets = useLivePackets();
  const prefix = computerDraftKey(keptPacketKey(patientId, ''));
  const waiting = useLiveQuery(
    () => store.db.drafts.where('key').startsWith(prefix).toArray(),
    [store.db, prefix],
  );
  if (!waiting?.length || !packets) return null;
  const mayFinish = can(store.roles, 'sign', 'signed-consent');
  return (
    <Stack gap="xs" mb="sm">
      {waiting.map((d) => {
        const program = d.key.slice(prefix.length);
        const name = programName(packets, program);
        return (
          <Alert
            key={d.key}
            color="yellow"
            title={`${name} packet signed by the patient, staff signatures needed`}
          >
            <Text size="sm">
              The patient gave their part in patient mode on this computer (kept{' '}
              {formatDateTime(d.savedAt)}). The packet counts once staff add their signatures and
              sign it.
            </Text>
            {mayFinish ? (
              <Button
                size="xs"
                mt="xs"
                onClick={() => navigate(`/patients/${patientId}/patient-mode/packet/${program}`)}
              >
                Add staff signatures to the {name} packet
              </Button>
            ) : (
              <Text size="sm" mt="xs">
                A colleague who collects consent signatures finishes it from this chart.
              </Text>
            )}
          </Alert>
        );
      })}
    </Stack>
  );
}
