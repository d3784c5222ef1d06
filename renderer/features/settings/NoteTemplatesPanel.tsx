import {
  Alert,
  Badge,
  Button,
  FileButton,
  Group,
  List,
  Loader,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import type { NoteTemplate, NoteTemplateBody } from '../../../shared/model';
import { duplicateNoteTemplate, noteTemplateFileText } from '../../../shared/rules/note-templates';
import { utf8 } from '../../../shared/util/bytes';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { platform } from '../../platform';
import { errorMessage, formatDateTime } from '../../app/format';
import {
  TemplateProblemsError,
  importNoteTemplate,
  restoreNoteTemplate,
  retireNoteTemplate,
  takenTemplateKeys,
} from '../../db/note-templates-repository';
import { BUNDLED_NOTE_TEMPLATES, useClinicTemplates } from '../notes/templates';
import { NoteTemplateEditor, type TemplateEdit } from './NoteTemplateEditor';

type Row = { body: NoteTemplateBody; record?: NoteTemplate };
type Outcome = { ok: true; message: string } | { ok: false; file: string; problems: string[] };

/** Settings → Note templates: the bundled templates and the clinic's own, import, duplicate, edit. */
export function NoteTemplatesPanel() {
  const store = useStore();
  const clinic = useClinicTemplates();
  const mayManage = can(store.roles, 'write', 'note-template');
  const [edit, setEdit] = useState<TemplateEdit>();
  const [outcome, setOutcome] = useState<Outcome>();
  const taken = useMemo(() => takenTemplateKeys(BUNDLED_NOTE_TEMPLATES, clinic ?? []), [clinic]);
  const rows: Row[] = useMemo(
    () => [
      ...BUNDLED_NOTE_TEMPLATES.map((body) => ({ body })),
      ...(clinic ?? [])
        .filter((t) => t.status !== 'entered-in-error')
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((t) => ({ body: t, record: t })),
    ],
    [clinic],
  );

  if (clinic === undefined) return <Loader role="status" aria-label="Loading note templates" />;
  if (edit)
    return <NoteTemplateEditor edit={edit} takenKeys={taken} onDone={() => setEdit(undefined)} />;

  const importFile = async (file: File | null) => {
    if (!file) return;
    setOutcome(undefined);
    try {
      const saved = await importNoteTemplate(store, await file.text(), taken);
      setOutcome({
        ok: true,
        message: `“${saved.name}” was imported and is offered for new notes.`,
      });
      notifications.show({ color: 'teal', message: `Template “${saved.name}” imported` });
    } catch (e) {
      const problems = e instanceof TemplateProblemsError ? e.problems : [errorMessage(e)];
      setOutcome({ ok: false, file: file.name, problems });
    }
  };
  const duplicate = (row: Row) => {
    setOutcome(undefined);
    setEdit({
      mode: 'duplicate',
      body: duplicateNoteTemplate(row.body, taken),
      sourceName: row.body.name,
    });
  };
  /** A .json file of the template, for another clinic to import. */
  const saveAsFile = async (row: Row) => {
    try {
      const result = await platform.saveFile({
        bytes: utf8(noteTemplateFileText(row.body)),
        suggestedName: `${row.body.templateKey}.json`,
        fileType: { label: 'Note template', extension: 'json', mimeType: 'application/json' },
      });
      if (!result.ok) throw new Error(result.error.message);
      if (result.value.outcome !== 'cancelled')
        notifications.show({
          color: 'teal',
          message: `“${row.body.name}” saved as ${result.value.fileName}`,
        });
    } catch (e) {
      setOutcome({ ok: false, file: '', problems: [errorMessage(e)] });
    }
  };
  const act = async (work: () => Promise<NoteTemplate>, message: string) => {
    try {
      await work();
      setOutcome({ ok: true, message });
    } catch (e) {
      setOutcome({ ok: false, file: '', problems: [errorMessage(e)] });
    }
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={560}>
          Templates lay out a note&apos;s sections. The bundled ones ship with KAT Chart; duplicate
          any template to make the clinic&apos;s own version, or import one from a colleague&apos;s
          .json file.
        </Text>
        {mayManage && (
          <FileButton onChange={(f) => void importFile(f)} accept="application/json,.json">
            {(p) => <Button {...p}>Import from file…</Button>}
          </FileButton>
        )}
      </Group>
      {!mayManage && (
        <Text size="sm">
          Clinicians and administrators manage note templates; you can view them.
        </Text>
      )}
      {outcome?.ok === true && (
        <Alert color="teal" role="status">
          {outcome.message}
        </Alert>
      )}
      {outcome?.ok === false && (
        <Alert
          color="red"
          role="alert"
          title={outcome.file ? `${outcome.file} was not imported` : 'Not done'}
        >
          <List size="sm">
            {outcome.problems.map((p) => (
              <List.Item key={p}>{p}</List.Item>
            ))}
          </List>
          {outcome.file && (
            <Text size="sm" mt="xs">
              Nothing was added. Fix the file and import it again.
            </Text>
          )}
        </Alert>
      )}
      <Table aria-label="Note templates" striped verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Template</Table.Th>
            <Table.Th w={110}>Source</Table.Th>
            <Table.Th>Sections</Table.Th>
            {mayManage && <Table.Th aria-label="Actions" />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <TemplateRow
              key={row.record?.id ?? row.body.templateKey}
              row={row}
              mayManage={mayManage}
              onDuplicate={() => duplicate(row)}
              onSaveAsFile={() => void saveAsFile(row)}
              onEdit={() => row.record && setEdit({ mode: 'edit', record: row.record })}
              onRetire={() =>
                row.record &&
                void act(
                  () => retireNoteTemplate(store, row.record!.id),
                  `“${row.body.name}” is retired: no longer offered for new notes. Notes written from it are unchanged.`,
                )
              }
              onRestore={() =>
                row.record &&
                void act(
                  () => restoreNoteTemplate(store, row.record!.id),
                  `“${row.body.name}” is offered for new notes again.`,
                )
              }
            />
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function TemplateRow(props: {
  row: Row;
  mayManage: boolean;
  onDuplicate: () => void;
  onSaveAsFile: () => void;
  onEdit: () => void;
  onRetire: () => void;
  onRestore: () => void;
}) {
  const { body, record } = props.row;
  const retired = record?.retiredAt;
  return (
    <Table.Tr>
      <Table.Td>
        <Text fw={500} c={retired ? 'dimmed' : undefined}>
          {body.name}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {body.templateKey}
        </Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        {!record ? (
          <Badge variant="light" color="gray">
            Bundled
          </Badge>
        ) : retired ? (
          <Badge variant="light" color="orange" title={`Retired ${formatDateTime(retired)}`}>
            Retired
          </Badge>
        ) : (
          <Badge variant="light" color="teal">
            Clinic
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{body.sections.map((s) => s.label).join(' · ')}</Text>
      </Table.Td>
      {props.mayManage && (
        <Table.Td>
          <Group gap="xs" justify="flex-end" miw={220} maw={230} ml="auto">
            <Button
              size="xs"
              variant="default"
              aria-label={`Duplicate ${body.name}`}
              onClick={props.onDuplicate}
            >
              Duplicate
            </Button>
            <Button
              size="xs"
              variant="default"
              aria-label={`Save as file: ${body.name}`}
              onClick={props.onSaveAsFile}
            >
              Save as file
            </Button>
            {record && !retired && (
              <>
                <Button
                  size="xs"
                  variant="default"
                  aria-label={`Edit ${body.name}`}
                  onClick={props.onEdit}
                >
                  Edit
                </Button>
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  aria-label={`Retire ${body.name}`}
                  onClick={props.onRetire}
                >
                  Retire
                </Button>
              </>
            )}
            {record && retired && (
              <Button
                size="xs"
                variant="subtle"
                aria-label={`Offer again: ${body.name}`}
                onClick={props.onRestore}
              >
                Offer again
              </Button>
            )}
          </Group>
        </Table.Td>
      )}
    </Table.Tr>
  );
}
