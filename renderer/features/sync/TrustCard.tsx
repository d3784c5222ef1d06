/**
 * Settings → Clinic server: the clinic's membership record (shared/trust) as this computer holds
 * it — what is pending, and every entry that did not verify, in plain words.
 */
import { Alert, Badge, Button, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useStore } from '../../app/app-state';
import { errorMessage, formatDateTime } from '../../app/format';
import { confirmMemberKeys } from '../../trust/member-keys';
import { type TrustStatus, type WaitingColleague, readTrustStatus } from '../../trust/status';
import { onKeysChanged } from './key-events';

export function TrustCard() {
  const store = useStore();
  const [status, setStatus] = useState<TrustStatus>();
  const [busy, setBusy] = useState<string>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
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
  const confirm = async (c: WaitingColleague) => {
    setBusy(c.userId);
    setMessage(undefined);
    try {
      await confirmMemberKeys(store, c.userId, c.fingerprint!);
      setMessage({ ok: true, text: `${c.name}’s new keys are confirmed.` });
      setStatus(await readTrustStatus(store));
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    } finally {
      setBusy(undefined);
    }
  };
  if (!status) return null;
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="trust-title">
      <Title order={3} size="h4" id="trust-title" mb="xs">
        Clinic membership record
      </Title>
      <Text size="sm" mb="xs">
        Who belongs to the clinic, with which role, which computers may sync and which clinic keys
        exist — each entry signed by an administrator.
      </Text>
      <Stack gap="xs">
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Badge
            color={status.problems.length ? 'red' : status.entries ? 'teal' : 'gray'}
            variant="light"
            style={{ flexShrink: 0 }}
          >
            {status.problems.length
              ? 'Refused entries'
              : status.entries
                ? 'Verified'
                : 'Not set up'}
          </Badge>
          <Text size="sm" data-testid="trust-verified">
            {status.verified}
          </Text>
        </Group>
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Badge
            color={status.authorRule.on ? 'teal' : 'yellow'}
            variant="light"
            style={{ flexShrink: 0 }}
          >
            {status.authorRule.on ? 'Writers required' : 'Writers not required'}
          </Badge>
          <Text size="sm" data-testid="trust-author-rule">
            <Text span fw={600} size="sm">
              Each change signed by its writer:{' '}
            </Text>
            {status.authorRule.text}
          </Text>
        </Group>
        {status.waitingForWriter.length > 0 && (
          <Alert
            color="yellow"
            title={`Changes waiting for their writer: ${status.waitingForWriter.length}`}
          >
            <Text size="sm" mb={4}>
              Other computers would refuse these as they are (no writer’s signature, or new keys not
              confirmed yet). They are kept here and sent, signed, when their writer is signed in on
              this computer (with new keys, once an administrator has confirmed them). Nothing in
              them is lost.
            </Text>
            <List size="sm" spacing={4} aria-label="Changes waiting for their writer">
              {status.waitingForWriter.map((w, i) => (
                <List.Item key={i}>{w}</List.Item>
              ))}
            </List>
          </Alert>
        )}
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
              {status.waitingColleagues.map((c) => (
                <List.Item key={c.userId}>
                  {c.name} — {c.why}
                  {c.fingerprint && (
                    <Group gap="sm" mt={4}>
                      <Text
                        fw={700}
                        ff="monospace"
                        aria-label={`Numbers shown for ${c.name}’s new keys`}
                      >
                        {c.fingerprint}
                      </Text>
                      <Button
                        size="xs"
                        loading={busy === c.userId}
                        aria-label={`The numbers match: confirm ${c.name}’s new keys`}
                        onClick={() => void confirm(c)}
                      >
                        The numbers match
                      </Button>
                    </Group>
                  )}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        {message && (
          <Alert color={message.ok ? 'teal' : 'red'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
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
