import { Button, Checkbox, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { FIELD_TYPES, type FieldType, type TemplateField } from '../../../shared/model';
import { fieldIdFor } from '../../../shared/rules/consent-fields';

export const FIELD_TYPE_LABELS: Record<FieldType, string> = {
  text: 'Text',
  date: 'Date',
  phone: 'Phone number',
  checkbox: 'Checkbox',
  initials: 'Initials',
};

/**
 * The fields a form asks the patient to fill in. Adding one appends its marker line `[[id]]` to the
 * text; move that line to where the field belongs (e.g. initials at the end of a section).
 */
export function TemplateFieldsEditor(props: {
  fields: TemplateField[];
  body: string;
  onChange: (fields: TemplateField[], body: string) => void;
}) {
  const [label, setLabel] = useState('');
  const [type, setType] = useState<FieldType>('text');
  const { fields, body } = props;

  const add = () => {
    if (!label.trim()) return;
    const id = fieldIdFor(
      label,
      fields.map((f) => f.id),
    );
    props.onChange(
      [...fields, { id, type, label: label.trim(), required: true }],
      `${body.trimEnd()}\n\n[[${id}]]`,
    );
    setLabel('');
  };

  /** Initials at the end of every "# " section, the common way to show each part was read. */
  const initialsPerSection = () => {
    const taken = fields.map((f) => f.id);
    const added: TemplateField[] = [];
    const lines = body.replace(/\r\n?/g, '\n').split('\n');
    const out: string[] = [];
    let section: string | undefined;
    const close = () => {
      if (!section) return;
      const id = fieldIdFor(`initials ${section}`, [...taken, ...added.map((f) => f.id)]);
      added.push({ id, type: 'initials', label: `Your initials: ${section}`, required: true });
      out.push('', `[[${id}]]`, '');
    };
    for (const line of lines) {
      if (line.startsWith('# ')) {
        close();
        section = line.slice(2).trim();
      }
      out.push(line);
    }
    close();
    props.onChange([...fields, ...added], out.join('\n').replace(/\n{3,}/g, '\n\n'));
  };

  return (
    <Stack gap={6}>
      <Text fw={500} size="sm">
        Fields the patient fills in
      </Text>
      {fields.length > 0 && (
        <Table aria-label="Fields in this form">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Label</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Placed in the text as</Table.Th>
              <Table.Th>Required</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {fields.map((f, i) => (
              <Table.Tr key={f.id}>
                <Table.Td>{f.label}</Table.Td>
                <Table.Td>{FIELD_TYPE_LABELS[f.type]}</Table.Td>
                <Table.Td>
                  <code>[[{f.id}]]</code>
                </Table.Td>
                <Table.Td>
                  <Checkbox
                    aria-label={`Required: ${f.label}`}
                    checked={f.required}
                    onChange={(e) => {
                      const required = e.currentTarget.checked;
                      props.onChange(
                        fields.map((x, j) => (j === i ? { ...x, required } : x)),
                        body,
                      );
                    }}
                  />
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="default"
                    aria-label={`Remove field ${f.label}`}
                    onClick={() =>
                      props.onChange(
                        fields.filter((_, j) => j !== i),
                        body
                          .split('\n')
                          .filter((l) => l.trim() !== `[[${f.id}]]`)
                          .join('\n')
                          .replace(/\n{3,}/g, '\n\n'),
                      )
                    }
                  >
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group align="flex-end" gap="xs">
        <TextInput
          label="New field label"
          placeholder="e.g. Escort's phone number"
          value={label}
          onChange={(e) => setLabel(e.currentTarget.value)}
          w={280}
        />
        <Select
          label="Kind"
          data={FIELD_TYPES.map((t) => ({ value: t, label: FIELD_TYPE_LABELS[t] }))}
          value={type}
          onChange={(v) => v && setType(v as FieldType)}
          allowDeselect={false}
          w={160}
        />
        <Button variant="default" onClick={add} disabled={!label.trim()}>
          Add field
        </Button>
        <Button variant="subtle" onClick={initialsPerSection}>
          Ask for initials after each section
        </Button>
      </Group>
    </Stack>
  );
}
