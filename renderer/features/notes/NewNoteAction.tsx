import { Alert, Button, Group, Modal, Radio, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { VISIT_KINDS, VISIT_LABELS, type VisitKind } from '../../../shared/model';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { startNote, visitKindForTemplate } from '../../db/notes-repository';
import { useNoteTemplates } from './templates';

/** Chart action: pick a template (and the visit it belongs to), then open the new draft. */
export function NewNoteAction({ patientId }: { patientId: string }) {
  const store = useStore();
  const [, navigate] = useLocation();
  const templates = useNoteTemplates();
  const [opened, setOpened] = useState(false);
  const [key, setKey] = useState<string>('');
  const [visitKind, setVisitKind] = useState<VisitKind | null>(null);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!can(store.roles, 'write', 'note')) return null;

  const choose = (k: string) => {
    setKey(k);
    setVisitKind(visitKindForTemplate(k) ?? null);
  };
  const start = async () => {
    const template = templates.find((t) => t.templateKey === key);
    if (!template || !visitKind) return setFailure('Choose a template and the kind of visit.');
    setBusy(true);
    try {
      const note = await startNote(store, { patientId, template, visitKind });
      setOpened(false);
      navigate(`/patients/${patientId}/notes/${note.id}`);
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button onClick={() => setOpened(true)}>New note</Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="New note" centered size="lg">
        <Stack gap="md">
          <Radio.Group label="Template" value={key} onChange={choose} required>
            <Stack gap="xs" mt="xs">
              {templates.map((t) => (
                <Radio
                  key={t.templateKey}
                  value={t.templateKey}
                  label={t.name}
                  description={
                    t.liveCharting
                      ? 'Live charting with timestamped lines'
                      : t.sections.map((s) => s.label).join(' · ')
                  }
                />
              ))}
            </Stack>
          </Radio.Group>
          <Select
            label="Visit"
            placeholder="Kind of visit"
            data={VISIT_KINDS.map((v) => ({ value: v, label: VISIT_LABELS[v] }))}
            value={visitKind}
            onChange={(v) => setVisitKind(v as VisitKind | null)}
            allowDeselect={false}
          />
          <Text size="sm" c="dimmed">
            The note starts as a draft and saves itself as you type.
          </Text>
          {failure && (
            <Alert color="red" role="alert">
              {failure}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              Cancel
            </Button>
            <Button onClick={() => void start()} loading={busy} disabled={!key || !visitKind}>
              Start note
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
