/**
 * Settings → Clinic server: the clinic's membership record (shared/trust) as this computer holds
 * it — what is pending, and every entry that did not verify, in plain words.
 */
import { Alert, Card, List, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import { type TrustStatus, readTrustStatus } from '../../trust/status';
import { onKeysChanged } from './key-events';

export function TrustCard() {
  const store = useStore();
  const [status, setStatus] = useState<TrustStatus>();
  useEffect(() => {
    const load = () => void readTrustStatus(store).then(setStatus);
    load();
    const timer = setInterval(load, 5_000);
    const off = onKeysChanged(load);
    return () => {
      clearInterval(timer);
      off();
    };
  }, [store]);
  if (!status) return null;
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="trust-title">
      <Title order={3} size="h4" id="trust-title" mb="xs">
        Clinic membership record
      </Title>
      <Text size="sm" mb="xs">
        Who belongs to the clinic, with which role, which computers may sync and which clinic keys
        exist — each entry signed by an administrator. This computer holds {status.entries}{' '}
        {status.entries === 1 ? 'entry' : 'entries'}, all verified.
      </Text>
      <Stack gap="xs">
        {status.waitingColleagues.length > 0 && (
          <Alert
            color="yellow"
            title={`Colleagues waiting to be added: ${status.waitingColleagues.length}`}
          >
            <Text size="sm" mb={4}>
              Until their keys are in the membership record, other computers hold back what they
              sign.
            </Text>
            <List size="sm" spacing={4} aria-label="Colleagues waiting to be added">
              {status.waitingColleagues.map((c, i) => (
                <List.Item key={`${i}-${c.name}`}>
                  {c.name} — {c.why}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        {status.pending.map((p) => (
          <Alert key={p} color="yellow" title="Pending">
            {p}
          </Alert>
        ))}
        {status.problems.length > 0 && (
          <Alert color="red" title="Entries that did not verify" role="alert">
            <Text size="sm" mb={4}>
              These were refused and nothing in them was taken. Tell your administrator; the clinic
              server may have been tampered with.
            </Text>
            <List size="sm" spacing={4}>
              {status.problems.map((p) => (
                <List.Item key={`${p.seq}-${p.at}`}>
                  {formatDateTime(p.at)} — {p.message}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
