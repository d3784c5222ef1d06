import { Box, Checkbox, Group, List, Stack, Text, TextInput, Title } from '@mantine/core';
import type { FilledField, TemplateField } from '../../../shared/model';
import { fieldProblem, fieldValueText } from '../../../shared/rules/consent-fields';
import { parseFormText } from '../../../shared/print/text';

export type FieldEntry = {
  fields: readonly TemplateField[];
  values: Readonly<Record<string, string>>;
  onChange: (id: string, value: string) => void;
  /** Show what is still missing or wrong (after the patient tried to go on). */
  showProblems?: boolean;
};

/**
 * A consent text on screen, laid out the way it prints (headings, paragraphs, bullets), with its
 * fields in place: inputs while signing (`entry`), the signed values otherwise (`fields`).
 * `large`: patient mode's bigger, plainer type.
 */
export function FormText({
  text,
  fields,
  entry,
  large,
}: {
  text: string;
  fields?: readonly FilledField[];
  entry?: FieldEntry;
  large?: boolean;
}) {
  const size = large ? 'lg' : 'sm';
  return (
    <Stack gap={large ? 'md' : 'xs'}>
      {parseFormText(text).map((block, i) =>
        block.kind === 'heading' ? (
          <Title key={i} order={4} size={large ? 'h3' : 'h5'} mt="xs">
            {block.text}
          </Title>
        ) : block.kind === 'bullets' ? (
          <List key={i} size={size} spacing={large ? 6 : 2}>
            {block.items.map((item, j) => (
              <List.Item key={j}>{item}</List.Item>
            ))}
          </List>
        ) : block.kind === 'field' ? (
          <FieldInPlace key={i} id={block.id} fields={fields} entry={entry} large={large} />
        ) : (
          <Text key={i} size={size}>
            {block.text}
          </Text>
        ),
      )}
    </Stack>
  );
}

function FieldInPlace(props: {
  id: string;
  fields?: readonly FilledField[];
  entry?: FieldEntry;
  large?: boolean;
}) {
  const filled = props.fields?.find((f) => f.id === props.id);
  if (filled)
    return (
      <Group gap="xs" justify={filled.type === 'initials' ? 'flex-end' : 'flex-start'}>
        <Text size="sm" c="dimmed">
          {filled.label}:
        </Text>
        <Text fw={700}>{fieldValueText(filled)}</Text>
      </Group>
    );
  const field = props.entry?.fields.find((f) => f.id === props.id);
  if (!field || !props.entry) return null;
  const { values, onChange, showProblems } = props.entry;
  const value = values[field.id] ?? '';
  const problem = showProblems ? fieldProblem(field, value) : undefined;
  const size = props.large ? 'lg' : 'sm';
  if (field.type === 'checkbox')
    return (
      <Checkbox
        size={props.large ? 'lg' : 'md'}
        label={field.label}
        checked={value === 'yes'}
        onChange={(e) => onChange(field.id, e.currentTarget.checked ? 'yes' : 'no')}
        error={problem}
      />
    );
  const input = (
    <TextInput
      size={size}
      label={field.label}
      required={field.required}
      type={field.type === 'date' ? 'date' : field.type === 'phone' ? 'tel' : 'text'}
      inputMode={field.type === 'phone' ? 'tel' : undefined}
      autoComplete="off"
      maxLength={field.type === 'initials' ? 8 : 200}
      value={value}
      onChange={(e) => onChange(field.id, e.currentTarget.value)}
      error={problem}
      w={field.type === 'initials' ? 200 : field.type === 'text' ? '100%' : 280}
      maw={560}
    />
  );
  return field.type === 'initials' ? (
    <Box style={{ display: 'flex', justifyContent: 'flex-end' }}>{input}</Box>
  ) : (
    input
  );
}
