import { Alert, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { ConsentTemplate } from '../../../shared/model';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { useRecordsOfKind } from '../../app/use-records';
import { ensureDefaultTemplates } from '../../db/consent-repository';
import { PacketsPanel } from './PacketsPanel';
import { SIGNER_LABELS, VALIDITY_LABELS } from './consent-labels';
import { RecoverySheetCard } from './RecoverySheetCard';
import { TemplateEditor } from './TemplateEditor';
import { TemplateHistory } from './TemplateHistory';
import { useCurrentTemplates } from './use-consent';

/** Practice managers' page: the clinic's consent forms (versioned) and packets. */
export function ConsentSettingsScreen() {
  const store = useStore();
  const templates = useCurrentTemplates();
  const allTemplates = useRecordsOfKind('consent-template');
  const editable = can(store.roles, 'write', 'consent-template');
  const [editing, setEditing] = useState<ConsentTemplate>();
  const [history, setHistory] = useState<string>();
  const [failure, setFailure] = useState<string>();

  // First visit by someone who keeps the forms: store the shipped set as version 1.
  useEffect(() => {
    if (!editable) return;
    ensureDefaultTemplates(store)
      .then((n) => {
        if (n > 0)
          notifications.show({ color: 'teal', message: `Added ${n} standard consent forms.` });
      })
      .catch((e) => setFailure(errorMessage(e)));
  }, [store, editable]);

  return (
    <Stack gap="lg" maw={1100}>
      <Title order={2}>Consent forms</Title>
      {failure && (
        <Alert color="red" role="alert">
          {failure}
        </Alert>
      )}
      {!editable && (
        <Text size="sm">Only a practice manager or an administrator can edit consent forms.</Text>
      )}
      {templates === undefined ? (
        <Loader role="status" aria-label="Loading consent forms" />
      ) : templates.length === 0 ? (
        <Text>
          No consent forms yet. A practice manager opening this page adds the standard set.
        </Text>
      ) : (
        <Table striped aria-label="Consent forms">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Form</Table.Th>
              <Table.Th>Version</Table.Th>
              <Table.Th>Who signs</Table.Th>
              <Table.Th>Valid for</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {templates.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td fw={500}>{t.title}</Table.Td>
                <Table.Td>{t.version}</Table.Td>
                <Table.Td>{t.signers.map((s) => SIGNER_LABELS[s]).join(', ')}</Table.Td>
                <Table.Td>{VALIDITY_LABELS[t.validity]}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => setHistory(t.templateKey)}
                      aria-label={`Versions of ${t.title}`}
                    >
                      Versions
                    </Button>
                    {editable && (
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => setEditing(t)}
                        aria-label={`Edit ${t.title}`}
                      >
                        Edit
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      {templates && <PacketsPanel templates={allTemplates ?? []} editable={editable} />}

      {editable && <RecoverySheetCard />}
      {editing && <TemplateEditor template={editing} onClose={() => setEditing(undefined)} />}
      {history && <TemplateHistory templateKey={history} onClose={() => setHistory(undefined)} />}
    </Stack>
  );
}
