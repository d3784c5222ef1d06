import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Group,
  List,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Controller, useFieldArray, useForm } from 'react-hook-form';
import type { NoteTemplate, NoteTemplateBody } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { errorMessage, formatDateTime } from '../../app/format';
import { useFormDraft } from '../../app/use-form-draft';
import {
  TemplateProblemsError,
  saveClinicTemplate,
  sectionKeyFor,
} from '../../db/note-templates-repository';

type Values = {
  name: string;
  sections: { key: string; label: string; hint: string }[];
  liveCharting: boolean;
  quickTags: string[];
};

export type TemplateEdit =
  | { mode: 'duplicate'; body: NoteTemplateBody; sourceName: string }
  | { mode: 'edit'; record: NoteTemplate };

/**
 * Edit a clinic template: name, section labels and hints, sections added, removed and reordered.
 * What is typed is kept encrypted (useFormDraft) until saved or discarded. Section keys of saved
 * sections never change, so notes already written keep their text under the right heading.
 */
export function NoteTemplateEditor(props: {
  edit: TemplateEdit;
  takenKeys: Set<string>;
  onDone: () => void;
}) {
  const store = useStore();
  const base = props.edit.mode === 'edit' ? props.edit.record : props.edit.body;
  const form = useForm<Values>({
    defaultValues: {
      name: base.name,
      sections: base.sections.map((s) => ({ ...s })),
      liveCharting: base.liveCharting,
      quickTags: [...base.quickTags],
    },
  });
  const sections = useFieldArray({ control: form.control, name: 'sections', keyName: 'rowId' });
  const draftKey =
    props.edit.mode === 'edit'
      ? `note-template-edit:${props.edit.record.id}`
      : `note-template-copy:${base.templateKey}`;
  const draft = useFormDraft(draftKey, form);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const liveCharting = form.watch('liveCharting');

  const save = form.handleSubmit(async (values) => {
    setProblems([]);
    setBusy(true);
    try {
      const keys: string[] = [];
      const laidOut = values.sections.map((s) => {
        const key =
          s.key || sectionKeyFor(s.label, [...keys, ...values.sections.map((x) => x.key)]);
        keys.push(key);
        return { key, label: s.label, hint: s.hint };
      });
      const body: NoteTemplateBody = { ...base, ...values, sections: laidOut };
      const saved = await saveClinicTemplate(store, {
        id: props.edit.mode === 'edit' ? props.edit.record.id : undefined,
        body,
        takenKeys: props.takenKeys,
      });
      await draft.clear();
      notifications.show({ color: 'teal', message: `Template “${saved.name}” saved` });
      props.onDone();
    } catch (e) {
      setProblems(e instanceof TemplateProblemsError ? e.problems : [errorMessage(e)]);
    } finally {
      setBusy(false);
    }
  });
  const discard = async () => {
    await draft.clear();
    props.onDone();
  };

  return (
    <form onSubmit={save} noValidate aria-label="Edit note template">
      <Stack gap="md">
        <Stack gap={2}>
          <Title order={3}>
            {props.edit.mode === 'edit'
              ? `Edit “${props.edit.record.name}”`
              : `New template from “${props.edit.sourceName}”`}
          </Title>
          <Text size="sm" c="dimmed">
            Saved as a template of this clinic and offered for new notes on every computer.
          </Text>
        </Stack>
        {draft.restoredAt && (
          <Alert color="blue" title="Unsaved changes restored">
            What you typed on {formatDateTime(draft.restoredAt)} was kept. Review it and save, or
            cancel to discard it.
          </Alert>
        )}
        <Card withBorder padding="lg">
          <Stack gap="md">
            <TextInput label="Template name" withAsterisk {...form.register('name')} />
            <Controller
              control={form.control}
              name="liveCharting"
              render={({ field }) => (
                <Switch
                  label="Live charting (timer and timestamped lines, for dosing sessions)"
                  checked={field.value}
                  onChange={(e) => field.onChange(e.currentTarget.checked)}
                />
              )}
            />
            {liveCharting && (
              <Controller
                control={form.control}
                name="quickTags"
                render={({ field }) => (
                  <TagsInput
                    label="Quick tags"
                    description="Common observations, one click each while charting; press Enter after each"
                    value={field.value}
                    onChange={field.onChange}
                  />
                )}
              />
            )}
          </Stack>
        </Card>

        <Stack gap="sm" role="list" aria-label="Sections">
          {sections.fields.map((row, i) => (
            <Card key={row.rowId} withBorder padding="md" role="listitem">
              <Group align="flex-start" wrap="nowrap">
                <Stack gap="xs" style={{ flex: 1 }}>
                  <TextInput
                    label={`Section ${i + 1} heading`}
                    withAsterisk
                    {...form.register(`sections.${i}.label`)}
                  />
                  <Textarea
                    label={`Section ${i + 1} hint`}
                    description="One line shown under the heading while writing"
                    autosize
                    minRows={1}
                    {...form.register(`sections.${i}.hint`)}
                  />
                </Stack>
                <Stack gap={4} pt={24}>
                  <ActionIcon
                    variant="default"
                    aria-label={`Move section ${i + 1} up`}
                    disabled={i === 0}
                    onClick={() => sections.move(i, i - 1)}
                  >
                    ↑
                  </ActionIcon>
                  <ActionIcon
                    variant="default"
                    aria-label={`Move section ${i + 1} down`}
                    disabled={i === sections.fields.length - 1}
                    onClick={() => sections.move(i, i + 1)}
                  >
                    ↓
                  </ActionIcon>
                  <ActionIcon
                    variant="default"
                    color="red"
                    aria-label={`Remove section ${i + 1}`}
                    disabled={sections.fields.length === 1}
                    onClick={() => sections.remove(i)}
                  >
                    ✕
                  </ActionIcon>
                </Stack>
              </Group>
            </Card>
          ))}
        </Stack>
        <Button
          variant="default"
          w="fit-content"
          onClick={() => sections.append({ key: '', label: '', hint: '' })}
        >
          Add section
        </Button>
        {props.edit.mode === 'edit' && (
          <Text size="sm" c="dimmed">
            Notes already written from this template keep all their text: a removed section still
            shows on those notes under its old heading.
          </Text>
        )}

        {problems.length > 0 && (
          <Alert color="red" role="alert" title="Template not saved">
            <List size="sm">
              {problems.map((p) => (
                <List.Item key={p}>{p}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            Save template
          </Button>
          <Button variant="default" onClick={() => void discard()}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
