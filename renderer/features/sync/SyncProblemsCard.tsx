/**
 * Settings → Clinic server: what sync could not apply, records changed on two computers at once
 * (both versions kept: each opens to the record, with the other value beside the kept one), and
 * notices — each group under words that are true of it (sync-words.ts `syncProblemSections`).
 */
import { Anchor, Button, Card, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useStore } from '../../app/app-state';
import { useChartContributions } from '../../app/contributions';
import { errorMessage, formatDateTime } from '../../app/format';
import { type SyncIssue, resolveIssue } from '../../db/sync-state';
import { type ConflictView, openConflict } from '../../sync/conflict-view';
import { syncProblemSections } from './sync-words';

export function SyncProblemsCard({ issues }: { issues: SyncIssue[] }) {
  return (
    <>
      {syncProblemSections(issues).map((section) => (
        <Card
          key={section.id}
          withBorder
          padding="lg"
          component="section"
          aria-labelledby={`${section.id}-title`}
        >
          <Title order={3} size="h4" id={`${section.id}-title`} mb="xs">
            {section.heading}
          </Title>
          <Text size="sm" mb="xs">
            {section.intro}
          </Text>
          <List size="sm" spacing="xs">
            {section.items.map((i) => (
              <List.Item key={i.id}>
                {formatDateTime(i.at)} — {i.message}
                {i.kind === 'merge-conflict' && <ConflictActions issue={i} />}
              </List.Item>
            ))}
          </List>
        </Card>
      ))}
    </>
  );
}

function ConflictActions({ issue }: { issue: SyncIssue }) {
  const store = useStore();
  const { links } = useChartContributions();
  const [view, setView] = useState<ConflictView>();
  const [error, setError] = useState<string>();
  const open = async () => {
    setError(undefined);
    try {
      setView(await openConflict(store, issue, links));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Stack gap={4} mt={4}>
      {!view ? (
        <Group gap="xs">
          <Button size="compact-sm" variant="light" onClick={() => void open()}>
            Show both versions
          </Button>
        </Group>
      ) : (
        <>
          {view.fields.length > 0 && (
            <Table
              aria-label="Both versions of the fields changed at the same time"
              withTableBorder
              fz="sm"
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Field</Table.Th>
                  <Table.Th>In the record now</Table.Th>
                  <Table.Th>The other computer’s</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {view.fields.map((f) => (
                  <Table.Tr key={f.label}>
                    <Table.Td>{f.label}</Table.Td>
                    <Table.Td>{f.kept}</Table.Td>
                    <Table.Td>{f.other}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Group gap="xs">
            {view.href && (
              <Anchor href={`#${view.href}`} size="sm">
                Open the record
              </Anchor>
            )}
            <Button
              size="compact-sm"
              variant="default"
              onClick={() => issue.id !== undefined && void resolveIssue(store.db, issue.id)}
            >
              Checked: remove from this list
            </Button>
          </Group>
        </>
      )}
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}
