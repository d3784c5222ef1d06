import { Alert, Anchor, List, Loader, Text } from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useStore } from '../../app/app-state';
import { reconsentList } from '../../db/consent-repository';

/**
 * The patients who must sign this form again: their newest signed copy is older than a version
 * published with "ask for re-consent" (issue 17 deliverable 6). Each links to their chart, where
 * the program shows "Re-consent needed".
 */
export function ReconsentList({ templateKey, title }: { templateKey: string; title: string }) {
  const store = useStore();
  const patients = useLiveQuery(() => reconsentList(store, templateKey), [store, templateKey]);
  if (!patients) return <Loader size="sm" role="status" aria-label="Finding patients" />;
  return (
    <section aria-label={`Patients who need to re-consent to ${title}`}>
      <Alert
        color={patients.length ? 'orange' : 'teal'}
        variant="light"
        title={
          patients.length === 0
            ? 'No patient needs to re-consent'
            : `${patients.length} patient${patients.length === 1 ? '' : 's'} need${patients.length === 1 ? 's' : ''} to re-consent`
        }
      >
        {patients.length === 0 ? (
          <Text size="sm">Nobody holds a signed copy of an earlier version that still counts.</Text>
        ) : (
          <>
            <Text size="sm" mb={4}>
              They signed an earlier version of “{title}”. Until they sign the new one, their
              programs show “Re-consent needed”.
            </Text>
            <List size="sm">
              {patients.map((p) => (
                <List.Item key={p.patientId}>
                  <Anchor href={`#/patients/${p.patientId}`}>{p.name}</Anchor>
                </List.Item>
              ))}
            </List>
          </>
        )}
      </Alert>
    </section>
  );
}
