import { Badge, Box, Button, Group, Modal, Select, Stack, Table, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { ConsentTemplate } from '../../../shared/model';
import { type DiffRow, diffLines } from '../../../shared/rules/text-diff';
import { formatDateTime } from '../../app/format';
import { useRecordsOfKind } from '../../app/use-records';
import { ReconsentList } from './ReconsentList';
import { SIGNER_LABELS, VALIDITY_LABELS } from './consent-labels';

/** A version as compared: what the patient reads, headed by who signs and how long it counts. */
function comparable(t: ConsentTemplate): string {
  const fields = (t.fields ?? []).map((f) => `Field: ${f.label}`);
  return [
    `Title: ${t.title}`,
    `Who signs: ${t.signers.map((s) => SIGNER_LABELS[s]).join(', ')}`,
    `Valid for: ${VALIDITY_LABELS[t.validity]}`,
    ...fields,
    '',
    ...t.body.split('\n'),
  ].join('\n');
}

const ROW_COLORS: Record<DiffRow['kind'], { left?: string; right?: string }> = {
  same: {},
  removed: { left: 'var(--mantine-color-red-light)' },
  added: { right: 'var(--mantine-color-green-light)' },
  changed: { left: 'var(--mantine-color-red-light)', right: 'var(--mantine-color-green-light)' },
};
const ROW_WORDS: Record<DiffRow['kind'], string> = {
  same: '',
  removed: 'Removed',
  added: 'Added',
  changed: 'Changed',
};

/**
 * Every version of one consent form, who saved it and when, and two versions side by side with
 * what changed marked (issue 17 deliverable 6). Readable by everyone who sees the forms, not only
 * through Edit.
 */
export function TemplateHistory(props: { templateKey: string; onClose: () => void }) {
  const all = useRecordsOfKind('consent-template');
  const users = useRecordsOfKind('user');
  const versions = useMemo(
    () =>
      (all ?? [])
        .filter((t) => t.templateKey === props.templateKey)
        .sort((a, b) => b.version - a.version),
    [all, props.templateKey],
  );
  const newest = versions[0];
  const [left, setLeft] = useState<string>();
  const [right, setRight] = useState<string>();
  if (!newest) return null;
  const byVersion = (v: string | undefined, fallback: ConsentTemplate | undefined) =>
    versions.find((t) => String(t.version) === v) ?? fallback;
  const older = byVersion(left, versions[1] ?? newest)!;
  const newer = byVersion(right, newest)!;
  // blank lines between paragraphs, unchanged, need no row of their own
  const rows = diffLines(comparable(older), comparable(newer)).filter(
    (r) => !(r.kind === 'same' && r.left.trim() === ''),
  );
  const changes = rows.filter((r) => r.kind !== 'same').length;
  const options = versions.map((t) => ({
    value: String(t.version),
    label: `Version ${t.version}`,
  }));
  const who = (id: string) => users?.find((u) => u.id === id)?.displayName ?? 'a colleague';
  const askedReconsent = versions.some((t) => t.reconsent);

  return (
    <Modal opened onClose={props.onClose} title={`Versions of “${newest.title}”`} size="90%">
      <Stack gap="md">
        <Table aria-label="Versions" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Version</Table.Th>
              <Table.Th>Saved</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th>Re-consent</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {versions.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  {t.version}
                  {t === newest && (
                    <Badge ml="xs" variant="light" tt="none">
                      In use
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{formatDateTime(t.createdAt)}</Table.Td>
                <Table.Td>{who(t.createdBy)}</Table.Td>
                <Table.Td>{t.reconsent ? 'Asked of everyone who signed before' : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>

        {askedReconsent && <ReconsentList templateKey={newest.templateKey} title={newest.title} />}

        <Group align="flex-end">
          <Select
            label="Compare"
            data={options}
            value={String(older.version)}
            onChange={(v) => v && setLeft(v)}
            allowDeselect={false}
            w={160}
          />
          <Select
            label="with"
            data={options}
            value={String(newer.version)}
            onChange={(v) => v && setRight(v)}
            allowDeselect={false}
            w={160}
          />
          <Text size="sm" pb={6} role="status">
            {older.version === newer.version
              ? 'The same version on both sides.'
              : changes === 0
                ? 'No differences.'
                : `${changes} line${changes === 1 ? '' : 's'} differ.`}
          </Text>
        </Group>
        <Table
          aria-label={`Version ${older.version} and version ${newer.version} side by side`}
          layout="fixed"
          withColumnBorders
          verticalSpacing={2}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={90}>Change</Table.Th>
              <Table.Th>Version {older.version}</Table.Th>
              <Table.Th>Version {newer.version}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => (
              <Table.Tr key={i}>
                <Table.Td>
                  <Text size="xs" fw={600}>
                    {ROW_WORDS[r.kind]}
                  </Text>
                </Table.Td>
                <Table.Td bg={ROW_COLORS[r.kind].left}>
                  <Box style={{ whiteSpace: 'pre-wrap' }} fz="sm">
                    {'left' in r ? r.left : ''}
                  </Box>
                </Table.Td>
                <Table.Td bg={ROW_COLORS[r.kind].right}>
                  <Box style={{ whiteSpace: 'pre-wrap' }} fz="sm">
                    {'right' in r ? r.right : ''}
                  </Box>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group justify="flex-end">
          <Button onClick={props.onClose}>Close</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
