/**
 * Settings → Clinic: the contraindications the clinic adds to every eligibility evaluation
 * (issue 4). Saved with the rest of the settings; removing an item does not change signed
 * evaluations, which keep the wording they were asked in.
 */
import { ActionIcon, Button, Group, List, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { ClinicContraindication } from '../../../shared/model';
import { DEFAULT_CONTRAINDICATIONS } from '../../../shared/rules/eligibility';

/** A stable key from the wording: "Aneurysmal vascular disease" → clinic-aneurysmal-vascular-disease. */
function keyFor(label: string, taken: readonly ClinicContraindication[]): string {
  const base = `clinic-${
    label
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 50) || 'item'
  }`;
  let key = base;
  for (let n = 2; taken.some((c) => c.key === key); n++) key = `${base}-${n}`;
  return key;
}

export function ClinicContraindicationsField(props: {
  value: ClinicContraindication[];
  onChange: (next: ClinicContraindication[]) => void;
  disabled?: boolean;
}) {
  const [label, setLabel] = useState('');
  const [problem, setProblem] = useState<string>();
  const add = () => {
    const text = label.trim().replace(/\s+/g, ' ');
    const same = (l: string) => l.toLowerCase() === text.toLowerCase();
    if (!text) return setProblem('Type the contraindication to add');
    if (text.length > 120) return setProblem('Keep it to 120 characters');
    if ([...DEFAULT_CONTRAINDICATIONS, ...props.value].some((c) => same(c.label)))
      return setProblem('That item is already on the checklist');
    setProblem(undefined);
    props.onChange([...props.value, { key: keyFor(text, props.value), label: text }]);
    setLabel('');
  };
  return (
    <Stack gap="xs">
      <Text fw={600} size="sm" id="clinic-contraindications">
        Contraindications the clinic adds
      </Text>
      <Text size="sm" c="dimmed">
        Asked on every eligibility evaluation after the built-in items (
        {DEFAULT_CONTRAINDICATIONS.map((c) => c.label.toLowerCase()).join(', ')}). Saved with the
        settings.
      </Text>
      {props.value.length > 0 && (
        <List aria-labelledby="clinic-contraindications" spacing={4}>
          {props.value.map((c) => (
            <List.Item key={c.key}>
              <Group gap="xs">
                <Text size="sm">{c.label}</Text>
                {!props.disabled && (
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    size="sm"
                    aria-label={`Remove ${c.label}`}
                    onClick={() => props.onChange(props.value.filter((x) => x.key !== c.key))}
                  >
                    ×
                  </ActionIcon>
                )}
              </Group>
            </List.Item>
          ))}
        </List>
      )}
      {!props.disabled && (
        <Group align="flex-start">
          <TextInput
            label="New contraindication"
            placeholder="e.g. Aneurysmal vascular disease"
            value={label}
            error={problem}
            onChange={(e) => setLabel(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault(); // Enter adds the item instead of saving the whole form
                add();
              }
            }}
          />
          <Button variant="default" mt={25} onClick={add}>
            Add to checklist
          </Button>
        </Group>
      )}
    </Stack>
  );
}
