import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  List,
  Loader,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { EmergencyRead, EmergencyUse } from '../../../shared/rules/emergency-review';
import { useStore } from '../../app/app-state';
import { useValueDraft } from '../../app/use-value-draft';
import { errorMessage, formatDateTime, formatTime } from '../../app/format';
import { listEmergencyUses, recordEmergencyReview } from '../../db/emergency-review';

/** What a read under emergency access was, in words, linking to it where there is a screen. */
const READ_WORDS: Record<string, string> = {
  patient: 'The chart',
  note: 'A note',
  addendum: 'An addendum',
  'co-signature': 'A co-signature',
  dose: 'A dose record',
  eligibility: 'An eligibility evaluation',
  'integration-summary': 'An integration summary',
  measure: 'An outcome measure',
  'signed-consent': 'A signed consent',
  'home-prescription': 'An at-home prescription',
  'treatment-plan': 'A treatment plan',
  appointment: 'An appointment',
  encounter: 'A visit',
};

function readHref(use: EmergencyUse, r: EmergencyRead): string | undefined {
  const p = use.patientId;
  switch (r.recordKind) {
    case 'patient':
      return `#/patients/${p}`;
    case 'note':
      return `#/patients/${p}/notes/${r.recordId}`;
    case 'dose':
      return `#/doses/${r.recordId}`;
    case 'measure':
      return `#/patients/${p}/measures/${r.recordId}`;
    case 'integration-summary':
      return `#/patients/${p}/integration/${r.recordId}`;
    default:
      return undefined;
  }
}

/**
 * Administrators review every emergency access (issue 18 point 4; HIPAA 45 CFR 164.312(a)(2)(ii)
 * and 164.308(a)(1)(ii)(D)): who opened which chart beyond their role, why, what they read, and
 * the administrator's finding, recorded in the audit log. Waiting reviews come first.
 */
export function EmergencyReviewScreen() {
  const store = useStore();
  if (!store.roles.includes('administrator'))
    return (
      <Alert color="gray" title="Administrators only">
        Only an administrator can review emergency access. Ask your clinic’s administrator.
      </Alert>
    );
  return <EmergencyReviews />;
}

function EmergencyReviews() {
  const store = useStore();
  const uses = useLiveQuery(() => listEmergencyUses(store), [store]);
  const waiting = uses?.filter((u) => !u.review) ?? [];
  const done = uses?.filter((u) => u.review) ?? [];
  return (
    <Stack gap="md" maw={900}>
      <Group justify="space-between" align="baseline">
        <Title order={2}>Emergency access review</Title>
        <Anchor href="#/audit">Audit log</Anchor>
      </Group>
      <Text size="sm" c="dimmed">
        Each time someone opened a chart beyond their role, their reason and every record they read
        are listed here. Review each one and write what you found; your review is kept in the audit
        log.
      </Text>
      {uses === undefined ? (
        <Loader role="status" aria-label="Loading emergency access" />
      ) : (
        <>
          <Title order={3}>To review ({waiting.length})</Title>
          {waiting.length === 0 ? (
            <Text size="sm">Nothing waits for review.</Text>
          ) : (
            waiting.map((u) => (
              <UseCard key={u.id} use={u} reviewable={u.userId !== store.session.user.id} />
            ))
          )}
          {done.length > 0 && (
            <>
              <Title order={3}>Reviewed ({done.length})</Title>
              {done.map((u) => (
                <UseCard key={u.id} use={u} reviewable={false} />
              ))}
            </>
          )}
        </>
      )}
    </Stack>
  );
}

function UseCard({ use, reviewable }: { use: EmergencyUse; reviewable: boolean }) {
  const store = useStore();
  const [finding, setFinding] = useState('');
  // A finding half written is kept (encrypted) across a reload or auto-lock, as notes are.
  const draft = useValueDraft(`emergency-review:${use.id}`, finding, setFinding, reviewable);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const headingId = `emergency-${use.id}`;
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      await recordEmergencyReview(store, use.id, finding);
      await draft.clear('');
      notifications.show({
        color: 'teal',
        message: `Review of ${use.userName}’s emergency access recorded`,
      });
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder component="section" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Title order={4} id={headingId}>
            {use.userName} opened{' '}
            <Anchor href={`#/patients/${use.patientId}`}>{use.patientName || 'a patient'}</Anchor>
            ’s chart
          </Title>
          {use.review ? (
            <Badge color="teal" variant="light">
              Reviewed
            </Badge>
          ) : (
            <Badge color="red" variant="light">
              To review
            </Badge>
          )}
        </Group>
        <Text size="sm">
          {formatDateTime(use.at)} until {formatTime(use.until)}
        </Text>
        <Text size="sm">
          <strong>Reason given:</strong> {use.reason}
        </Text>
        <Text size="sm" fw={500}>
          {use.reads.length === 0
            ? 'No record was opened under this access.'
            : `Read under this access (${use.reads.length}):`}
        </Text>
        {use.reads.length > 0 && (
          <List size="sm" spacing={2}>
            {use.reads.map((r, i) => {
              const href = readHref(use, r);
              const words = READ_WORDS[r.recordKind] ?? 'A record';
              return (
                <List.Item key={`${r.recordId}-${i}`}>
                  {formatTime(r.at)} — {href ? <Anchor href={href}>{words}</Anchor> : words}
                </List.Item>
              );
            })}
          </List>
        )}
        {use.review ? (
          <Text size="sm">
            <strong>
              Reviewed by {use.review.userName}, {formatDateTime(use.review.at)}:
            </strong>{' '}
            {use.review.finding}
          </Text>
        ) : !reviewable ? (
          <Text size="sm">
            This was your own emergency access: another administrator reviews it.
          </Text>
        ) : (
          <form onSubmit={save} noValidate>
            <Stack gap="xs">
              <Textarea
                label={`Your finding on ${use.userName}’s emergency access`}
                description="Was it a real emergency, and were the records read needed for it?"
                value={finding}
                onChange={(e) => setFinding(e.currentTarget.value)}
                autosize
                minRows={2}
              />
              {failure && (
                <Alert color="red" role="alert" title="Review not recorded">
                  {failure}
                </Alert>
              )}
              <Group justify="flex-end">
                <Button type="submit" loading={busy}>
                  Record review
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}
