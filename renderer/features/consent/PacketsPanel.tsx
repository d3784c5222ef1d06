import { Badge, Button, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ConsentTemplate } from '../../../shared/model';
import type { PacketLike } from '../../../shared/rules/consent-packets';
import { PacketEditor } from './PacketEditor';
import { usePackets } from './use-consent';

/**
 * The clinic's packets on the Consent forms page: what each program requires and offers, in
 * signing order. A practice manager creates, edits and retires them here; each save is a version.
 */
export function PacketsPanel(props: { templates: ConsentTemplate[]; editable: boolean }) {
  const packets = usePackets();
  const [editing, setEditing] = useState<PacketLike | 'new'>();
  const title = (key: string) =>
    props.templates.find((t) => t.templateKey === key)?.title ?? `${key} (no such form)`;
  if (!packets) return <Loader role="status" aria-label="Loading packets" />;
  const live = packets.filter((p) => !p.retired);
  const retired = packets.filter((p) => p.retired);

  const card = (p: PacketLike) => (
    <Card
      key={p.program}
      withBorder
      padding="md"
      component="section"
      aria-label={`Packet: ${p.name}`}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={4} size="h5">
            {p.name}
          </Title>
          <Text size="xs">
            {p.version ? `Version ${p.version}` : 'Shipped packet, not edited yet'}
            {p.retired ? ' · retired' : ''}
          </Text>
        </div>
        {props.editable && (
          <Button
            size="xs"
            variant="default"
            onClick={() => setEditing(p)}
            aria-label={`Edit packet ${p.name}`}
          >
            Edit
          </Button>
        )}
      </Group>
      <Stack gap={2} mt="xs" component="ol" style={{ paddingLeft: 18, margin: 0 }}>
        {p.forms.map((f) => (
          <li key={f.templateKey}>
            <Group gap={6} wrap="nowrap">
              <Text size="sm">{title(f.templateKey)}</Text>
              <Badge size="xs" variant="outline" color={f.required ? 'teal.9' : 'gray.7'}>
                {f.required ? 'required' : 'optional'}
              </Badge>
            </Group>
          </li>
        ))}
      </Stack>
    </Card>
  );

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3}>Packets</Title>
        {props.editable && (
          <Button variant="light" onClick={() => setEditing('new')}>
            New packet
          </Button>
        )}
      </Group>
      <Text size="sm">
        A packet is a program's set of forms. Its required forms are exactly what the program needs
        for a current consent (the chart, the schedule and the dosing check read them here).
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, xl: 4 }}>{live.map(card)}</SimpleGrid>
      {retired.length > 0 && (
        <>
          <Title order={4} size="h5">
            Retired packets
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, xl: 4 }}>{retired.map(card)}</SimpleGrid>
        </>
      )}
      {editing && (
        <PacketEditor
          packet={editing === 'new' ? undefined : editing}
          templates={props.templates}
          onClose={() => setEditing(undefined)}
        />
      )}
    </Stack>
  );
}
